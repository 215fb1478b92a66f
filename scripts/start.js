#!/usr/bin/env node
// `npm start`: the whole product on one machine, offline.
//
// 1. Builds the package (dist/), which the root program loads by name, unless dist/ is current; with
//    the Pulumi CLI on PATH, also installs the policy pack's dependencies (policy/node_modules).
// 2. Starts the Enswitch simulator with its state in .state/simulator.json (mailboxes survive restarts).
// 3. What needs no Pulumi CLI, per customer directory of examples/gitops/mailboxes: `enswitch validate
//    --remote` with the policy pack's config (schema, policies, the switch's own validation=1), then
//    `enswitch drift`: what `pulumi up` would create or change. Validation errors stop here (exit 1).
// 4. Without the Pulumi CLI: says plainly that the deployment needs it and how to install it (exit 0:
//    everything that could run did). With it: a local file backend in .state/backend, the stack `dev`
//    configured for the simulator (the default login for customer 1, the `customer2` connection
//    profile for customer 2, a random secret enswitch:pinSeed on first use), then `pulumi up --yes` of
//    the root program (Pulumi.yaml) with the policy pack in policy/ and examples/gitops/policy-config.json.
// 5. Prints the mailboxes now on the simulator, then stops it.
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

/** The simulator's logins, and the example files and connection profile of each. */
const LOGINS = [
  { customer: 1, username: "admin", password: "admin", dir: "customer-1", connection: undefined },
  { customer: 2, username: "admin2", password: "admin2", dir: "customer-2", connection: "customer2" },
];
const POLICY_CONFIG = path.join(root, "examples", "gitops", "policy-config.json");

/**
 * The part of the job that needs no Pulumi CLI: each customer's files checked by the policies and by
 * the switch's own dry run, then the drift `pulumi up` would close. False when validation failed.
 */
function checkFiles(url) {
  const cli = path.join(root, "dist", "cli", "main.js");
  let ok = true;
  for (const login of LOGINS) {
    const env = { ...process.env, ENSWITCH_URL: url, ENSWITCH_USERNAME: login.username };
    env.ENSWITCH_PASSWORD = login.password;
    const files = path.join("examples", "gitops", "mailboxes", login.dir);
    const connection = login.connection ? ["--connection", login.connection] : [];
    const validate = [
      files,
      "--remote",
      "--policy-pack-config",
      path.relative(root, POLICY_CONFIG),
      ...connection,
    ];
    process.stdout.write(`\n$ enswitch validate ${validate.join(" ")}\n`);
    if (run(process.execPath, [cli, "validate", ...validate], { env }) !== 0) ok = false;
    process.stdout.write(`\n$ enswitch drift ${[files, ...connection].join(" ")}\n`);
    if (run(process.execPath, [cli, "drift", files, ...connection], { env }) !== 0) ok = false;
  }
  return ok;
}

/** The mailboxes on the simulator, per login, as a small table. */
async function printMailboxes(url) {
  const { EnswitchClient } = require(path.join(root, "dist", "enswitch", "client.js"));
  const { closeAgents } = require(path.join(root, "dist", "enswitch", "pool.js"));
  process.stdout.write("\nMailboxes now on the simulator:\n");
  for (const login of LOGINS) {
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
  const pulumi = findOnPath("pulumi");
  const stateDir = path.resolve(process.env.ENSWITCH_START_STATE_DIR || path.join(root, ".state"));
  const backendDir = path.join(stateDir, "backend");
  fs.mkdirSync(stateDir, { recursive: true });

  // 1. The CLI and the root program load the package from dist/: build it unless it is newer than every source.
  if (!process.env.ENSWITCH_START_SKIP_BUILD && !isBuildCurrent()) {
    process.stdout.write("Building dist/ ...\n");
    mustRun(process.execPath, [
      path.join(root, "node_modules", "typescript", "bin", "tsc"),
      "-p",
      "tsconfig.build.json",
    ]);
  }

  // 1b. Pulumi runs a local policy pack with the pack's own node_modules, which `npm ci` at the root
  //     does not install (@pulumi/policy, and this package linked through "file:..").
  const policyDir = path.join(root, "policy");
  if (
    pulumi &&
    !process.env.ENSWITCH_START_SKIP_BUILD &&
    !fs.existsSync(path.join(policyDir, "node_modules"))
  ) {
    process.stdout.write("Installing the policy pack's dependencies (policy/node_modules) ...\n");
    const npm = process.env.npm_execpath;
    const [command, args] = npm ? [process.execPath, [npm]] : ["npm", []];
    mustRun(command, [...args, "install", "--no-audit", "--no-fund"], { cwd: policyDir });
  }

  // 1c. The root program loads pulumi-enswitch from program/node_modules, packed and unpacked the way
  //     npm installs it, so Pulumi's serializer stores a reference to the installed package in each
  //     resource's __provider (under 300 bytes) instead of writing this checkout's code out by value.
  if (pulumi && !process.env.ENSWITCH_START_SKIP_BUILD) installForProgram();

  // 2. The simulator.
  const { url, child } = await startSimulator(path.join(stateDir, "simulator.json"));
  process.stdout.write(`Enswitch simulator at ${url}\n`);
  let status = 1;
  try {
    // 3. Everything that needs no Pulumi CLI.
    if (!checkFiles(url)) {
      status = 1;
      process.stdout.write("\nThe mailbox files have errors (above): nothing is deployed.\n");
      return;
    }
    if (!pulumi) {
      status = 0;
      process.stdout.write(
        "\nDeploying these mailboxes (pulumi up) needs the Pulumi CLI, and `pulumi` is not on PATH.\n" +
          `  Install it with:  ${INSTALL_COMMAND}\n` +
          `  (other ways: ${INSTALL_DOCS}), open a new shell so PATH includes ~/.pulumi/bin, then run npm start again.\n`,
      );
      return;
    }
    fs.mkdirSync(backendDir, { recursive: true });
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

    // 4b. Deploy with the policy pack.
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
  } finally {
    // 5. What the switch has now.
    await printMailboxes(url).catch((error) => process.stderr.write(`npm start: ${error.message}\n`));
    await stopSimulator(child);
  }
  process.exitCode = status;
}

if (require.main === module) {
  main().catch((error) => fail(error instanceof Error ? error.message : String(error)));
}

module.exports = { findOnPath, INSTALL_COMMAND };
