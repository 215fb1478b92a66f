#!/usr/bin/env node
// `npm start`: the whole product on one machine, offline.
//
// 1. Checks that the Pulumi CLI is on PATH, before anything else; without it, says how to install it
//    and exits 1 having started nothing.
// 2. Builds the package (dist/), which the root program loads by name, unless dist/ is current, and
//    installs the policy pack's dependencies (policy/node_modules) when they are missing.
// 3. Starts the Enswitch simulator with its state in .state/simulator.json (mailboxes survive restarts).
// 4. Uses a local file backend in .state/backend, selects or creates the stack `dev`, and configures it
//    for the simulator: the default login (customer 1), the `customer2` connection profile (customer 2),
//    and a random secret enswitch:pinSeed on first use.
// 5. `pulumi up --yes` of the root program (Pulumi.yaml) with the policy pack in policy/ and
//    examples/gitops/policy-config.json.
// 6. Prints the mailboxes now on the simulator, then stops it.
//
// Environment: ENSWITCH_START_STATE_DIR moves .state elsewhere; ENSWITCH_START_SKIP_BUILD=1 uses dist/ as
// it is and installs nothing (tests, which run after the build); PULUMI_CONFIG_PASSPHRASE, when set, is used for the local
// stack's secrets (default: a fixed demo passphrase, for this local stack only).
"use strict";
const { spawn, spawnSync } = require("node:child_process");
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");
const readline = require("node:readline");

const root = path.join(__dirname, "..");
const STACK = "dev";
const INSTALL_COMMAND = "curl -fsSL https://get.pulumi.com | sh";
const INSTALL_DOCS = "https://www.pulumi.com/docs/iac/download-install/";
// A passphrase for the throwaway local demo stack only; real stacks use their own secrets provider.
const DEMO_PASSPHRASE = "enswitch-local-demo";

/** The first executable `pulumi` on PATH, or undefined. */
function findOnPath(command, env = process.env) {
  const extensions = process.platform === "win32" ? (env.PATHEXT || ".EXE;.CMD;.BAT").split(";") : [""];
  for (const dir of (env.PATH || "").split(path.delimiter)) {
    if (!dir) continue;
    for (const ext of extensions) {
      const candidate = path.join(dir, command + ext);
      try {
        fs.accessSync(candidate, fs.constants.X_OK);
        if (fs.statSync(candidate).isFile()) return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/** The newest modification time of the files under `dir` (0 when there are none). */
function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** True when dist/ was built after the last change to provider/ and the build config. */
function isBuildCurrent() {
  const marker = path.join(root, "dist", "cli", "main.js");
  if (!fs.existsSync(marker)) return false;
  const sources = Math.max(
    newestMtime(path.join(root, "provider")),
    fs.statSync(path.join(root, "tsconfig.json")).mtimeMs,
    fs.statSync(path.join(root, "tsconfig.build.json")).mtimeMs,
  );
  return fs.statSync(marker).mtimeMs >= sources;
}

function fail(message) {
  process.stderr.write(`npm start: ${message}\n`);
  process.exit(1);
}

/** Runs a command to completion; returns its exit status. Secrets go through `input`, never argv. */
function run(command, args, options = {}) {
  const result = spawnSync(command, args, {
    env: options.env,
    input: options.input,
    cwd: options.cwd || root,
    stdio: [options.input === undefined ? "inherit" : "pipe", options.quiet ? "pipe" : "inherit", "inherit"],
    encoding: "utf8",
  });
  if (result.error) fail(`${path.basename(command)} ${args[0] || ""}: ${result.error.message}`);
  return result.status === null ? 1 : result.status;
}

function mustRun(command, args, options) {
  const status = run(command, args, options);
  if (status !== 0)
    throw new Error(`\`${path.basename(command)} ${args.join(" ")}\` failed with exit code ${status}`);
}

/** Packs this package and unpacks it as program/node_modules/pulumi-enswitch (see ARCHITECTURE.md). */
function installForProgram() {
  const target = path.join(root, "program", "node_modules", "pulumi-enswitch");
  const scratch = fs.mkdtempSync(path.join(require("node:os").tmpdir(), "enswitch-pack-"));
  try {
    const npm = process.env.npm_execpath;
    const [command, args] = npm ? [process.execPath, [npm]] : ["npm", []];
    const packed = spawnSync(
      command,
      [...args, "pack", "--json", "--ignore-scripts", "--pack-destination", scratch],
      { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
    );
    if (packed.status !== 0) throw new Error(`npm pack failed with exit code ${packed.status}`);
    const tarball = path.join(scratch, JSON.parse(packed.stdout)[0].filename);
    fs.rmSync(target, { recursive: true, force: true });
    fs.mkdirSync(target, { recursive: true });
    mustRun("tar", ["-xzf", tarball, "-C", target, "--strip-components=1"]);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** Starts `enswitch simulator` and resolves with its URL (first line of stdout) and the child. */
function startSimulator(stateFile) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [path.join(root, "dist", "cli", "main.js"), "simulator", "--port", "0", "--state", stateFile],
      { cwd: root, stdio: ["ignore", "pipe", "inherit"] },
    );
    const lines = readline.createInterface({ input: child.stdout });
    lines.once("line", (url) => resolve({ url: url.trim(), child }));
    child.once("exit", (code) =>
      reject(new Error(`the simulator exited with code ${code} before printing its URL`)),
    );
    child.once("error", reject);
  });
}

function stopSimulator(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

/** The mailboxes on the simulator, per login, as a small table. */
async function printMailboxes(url) {
  const { EnswitchClient, closeAgents } = require(path.join(root, "dist", "enswitch", "index.js"));
  const logins = [
    { customer: 1, username: "admin", password: "admin" },
    { customer: 2, username: "admin2", password: "admin2" },
  ];
  process.stdout.write("\nMailboxes now on the simulator:\n");
  for (const login of logins) {
    const client = new EnswitchClient({ url, username: login.username, password: login.password });
    const rows = await client.listMailboxes(login.customer);
    process.stdout.write(`  customer ${login.customer}: ${rows.length} mailbox(es)\n`);
    for (const row of rows) {
      process.stdout.write(
        `    ${String(row.mailbox).padEnd(6)} owner ${String(row.owner).padEnd(4)} ${row.timezone || ""}  ${row.description || ""}\n`,
      );
    }
  }
  await closeAgents();
}

async function main() {
  // 1. Nothing happens without the CLI: not even the build.
  const pulumi = findOnPath("pulumi");
  if (!pulumi) {
    fail(
      "the Pulumi CLI is needed and `pulumi` is not on PATH.\n" +
        `  Install it with:  ${INSTALL_COMMAND}\n` +
        `  (other ways: ${INSTALL_DOCS}), open a new shell so PATH includes ~/.pulumi/bin, then run npm start again.`,
    );
  }

  const stateDir = path.resolve(process.env.ENSWITCH_START_STATE_DIR || path.join(root, ".state"));
  const backendDir = path.join(stateDir, "backend");
  fs.mkdirSync(backendDir, { recursive: true });

  // 2. The root program loads the package from dist/: build it unless it is newer than every source.
  if (!process.env.ENSWITCH_START_SKIP_BUILD && !isBuildCurrent()) {
    process.stdout.write("Building dist/ ...\n");
    mustRun(process.execPath, [
      path.join(root, "node_modules", "typescript", "bin", "tsc"),
      "-p",
      "tsconfig.build.json",
    ]);
  }

  // 2b. Pulumi runs a local policy pack with the pack's own node_modules, which `npm ci` at the root
  //     does not install (@pulumi/policy, and this package linked through "file:..").
  const policyDir = path.join(root, "policy");
  if (!process.env.ENSWITCH_START_SKIP_BUILD && !fs.existsSync(path.join(policyDir, "node_modules"))) {
    process.stdout.write("Installing the policy pack's dependencies (policy/node_modules) ...\n");
    const npm = process.env.npm_execpath;
    const [command, args] = npm ? [process.execPath, [npm]] : ["npm", []];
    mustRun(command, [...args, "install", "--no-audit", "--no-fund"], { cwd: policyDir });
  }

  // 2c. The root program loads pulumi-enswitch from program/node_modules, packed and unpacked the way
  //     npm installs it, so Pulumi's serializer stores a reference to the installed package in each
  //     resource's __provider (under 300 bytes) instead of writing this checkout's code out by value.
  if (!process.env.ENSWITCH_START_SKIP_BUILD) installForProgram();

  // 3. The simulator.
  const { url, child } = await startSimulator(path.join(stateDir, "simulator.json"));
  process.stdout.write(`Enswitch simulator at ${url}\n`);
  let status = 1;
  try {
    const env = {
      ...process.env,
      PULUMI_BACKEND_URL: `file://${backendDir}`,
      PULUMI_CONFIG_PASSPHRASE: process.env.PULUMI_CONFIG_PASSPHRASE || DEMO_PASSPHRASE,
      PULUMI_SKIP_UPDATE_CHECK: "true",
    };
    delete env.PULUMI_CONFIG_PASSPHRASE_FILE;
    const p = (args, options = {}) => mustRun(pulumi, args, { env, ...options });

    // 4. The stack and its config. The URL changes with the port on every start; it is read by the
    //    provider at run time and is in no resource's inputs, so changing it changes nothing.
    p(["stack", "select", "--create", STACK, "--non-interactive"]);
    const s = ["--stack", STACK];
    p(["config", "set", ...s, "enswitch:url", url]);
    p(["config", "set", ...s, "enswitch:username", "admin"]);
    p(["config", "set", ...s, "--secret", "enswitch:password"], { input: "admin" });
    p(["config", "set", ...s, "--path", "enswitch:connections.customer2.url", url]);
    p(["config", "set", ...s, "--path", "enswitch:connections.customer2.username", "admin2"]);
    p(["config", "set", ...s, "--secret", "--path", "enswitch:connections.customer2.password"], {
      input: "admin2",
    });
    if (run(pulumi, ["config", "get", ...s, "enswitch:pinSeed"], { env, quiet: true }) !== 0) {
      p(["config", "set", ...s, "--secret", "enswitch:pinSeed"], {
        input: crypto.randomBytes(32).toString("hex"),
      });
    }

    // 5. Deploy with the policy pack.
    status = run(
      pulumi,
      [
        "up",
        "--yes",
        ...s,
        "--policy-pack",
        path.join(root, "policy"),
        "--policy-pack-config",
        path.join(root, "examples", "gitops", "policy-config.json"),
      ],
      { env },
    );

    // 6. What the switch has now.
    await printMailboxes(url);
  } finally {
    await stopSimulator(child);
  }
  process.exitCode = status;
}

if (require.main === module) {
  main().catch((error) => fail(error instanceof Error ? error.message : String(error)));
}

module.exports = { findOnPath, INSTALL_COMMAND };
