/**
 * The example GitHub Actions workflow (examples/gitops/ci/github-actions.yml), which no test runs on
 * GitHub: checked with a workflow validator from the registry (`@action-validator/cli`, the schema of
 * workflow files), and its shell steps that call `enswitch` run here against the simulator, for every
 * entry of their job's matrix, with the step's own `env` and the workflow's. The commands are taken from
 * the file, so a change to the workflow is what is tested.
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { startSimulator, Simulator } from "../../provider/simulator";

const REPO = path.join(__dirname, "..", "..");
const WORKFLOW = path.join(REPO, "examples", "gitops", "ci", "github-actions.yml");
const CLI = path.join(REPO, "dist", "cli", "main.js");

/** The simulator's login of each customer (the stacks' secrets in the workflow's environments). */
const LOGINS: Record<string, { username: string; password: string }> = {
  "1": { username: "admin", password: "admin" },
  "2": { username: "admin2", password: "admin2" },
};

type Context = Record<string, Record<string, string>>;

/**
 * Evaluates a GitHub Actions expression of the kinds the workflow uses: `matrix.dir`, `'text'`,
 * `format('--x {0}', matrix.y)`, `==`/`!=`, and `a && b || c` (which yield an operand, as on GitHub).
 */
function evaluate(expression: string, context: Context): unknown {
  const tokens = expression.match(/'(?:[^']|'')*'|&&|\|\||==|!=|[(),!]|[A-Za-z_][\w.-]*|\d+/g) ?? [];
  let i = 0;
  const truthy = (v: unknown) => v !== "" && v !== 0 && v !== false && v !== null && v !== undefined;
  const primary = (): unknown => {
    const t = tokens[i++]!;
    if (t === "(") {
      const v = or();
      i++;
      return v;
    }
    if (t === "!") return !truthy(primary());
    if (t.startsWith("'")) return t.slice(1, -1).replace(/''/g, "'");
    if (/^\d+$/.test(t)) return Number(t);
    if (t === "true" || t === "false") return t === "true";
    if (tokens[i] === "(") {
      i++;
      const args: unknown[] = [];
      while (tokens[i] !== ")") {
        args.push(or());
        if (tokens[i] === ",") i++;
      }
      i++;
      if (t !== "format") throw new Error(`function ${t} is not supported by this test`);
      return String(args[0]).replace(/\{(\d+)\}/g, (_, n: string) => String(args[Number(n) + 1]));
    }
    const [scope, ...rest] = t.split(".");
    return context[scope!]?.[rest.join(".")] ?? "";
  };
  const compare = (): unknown => {
    const left = primary();
    if (tokens[i] === "==" || tokens[i] === "!=") {
      const op = tokens[i++];
      return (left === primary()) === (op === "==");
    }
    return left;
  };
  const and = (): unknown => {
    let v = compare();
    while (tokens[i] === "&&") {
      i++;
      const right = compare();
      v = truthy(v) ? right : v;
    }
    return v;
  };
  const or = (): unknown => {
    let v = and();
    while (tokens[i] === "||") {
      i++;
      const right = and();
      v = truthy(v) ? v : right;
    }
    return v;
  };
  return or();
}

function substitute(text: string, context: Context): string {
  return text.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, e: string) => String(evaluate(e.trim(), context)));
}

interface Step {
  id?: string;
  name?: string;
  run?: string;
  env?: Record<string, string>;
}
interface Job {
  steps?: Step[];
  outputs?: Record<string, string>;
  strategy?: { matrix?: string | { include?: Record<string, string>[] } };
}
interface Workflow {
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}

/**
 * The entries of a job's matrix: written in the file, or `fromJSON(needs.<job>.outputs.<name>)` of a
 * job whose step writes it to `$GITHUB_OUTPUT` (that step is run here, in the checkout `cwd`).
 */
function matrixOf(workflow: Workflow, job: Job, cwd: string): Record<string, string>[] {
  const matrix = job.strategy?.matrix;
  if (matrix === undefined) return [{}];
  if (typeof matrix !== "string") return matrix.include ?? [{}];
  const [, from, name] = /fromJSON\(needs\.([\w-]+)\.outputs\.([\w-]+)\)/.exec(matrix) ?? [];
  const producer = workflow.jobs[from ?? ""];
  const [, id, key] = /steps\.([\w-]+)\.outputs\.([\w-]+)/.exec(producer?.outputs?.[name ?? ""] ?? "") ?? [];
  const step = producer?.steps?.find((s) => s.id === id);
  if (!step?.run) throw new Error(`cannot tell the matrix of ${matrix}`);
  const output = path.join(cwd, "matrix-output");
  fs.writeFileSync(output, "");
  const result = spawnSync("bash", ["-e", "-c", step.run], {
    cwd,
    env: { ...process.env, GITHUB_OUTPUT: output },
  });
  expect(result.status).toBe(0);
  const line = fs
    .readFileSync(output, "utf8")
    .split("\n")
    .find((l) => l.startsWith(`${key}=`))!;
  return (JSON.parse(line.slice(key!.length + 1)) as { include: Record<string, string>[] }).include;
}

/** Every step that runs `enswitch`, once per matrix entry of its job. */
function enswitchSteps(workflow: Workflow, cwd: string) {
  const out: { job: string; step: Step; matrix: Record<string, string> }[] = [];
  for (const [job, spec] of Object.entries(workflow.jobs)) {
    for (const step of spec.steps ?? []) {
      if (!step.run || !/\benswitch\s/.test(step.run)) continue;
      for (const matrix of matrixOf(workflow, spec, cwd)) out.push({ job, step, matrix });
    }
  }
  return out;
}

function run(
  script: string,
  env: Record<string, string>,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const clean: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(ENSWITCH_|GITHUB_)/.test(k)) clean[k] = v;
  // GitHub's default shell on Linux: bash -e.
  const child = spawn("bash", ["-e", "-c", script], { cwd: tmp, env: { ...clean, ...env } });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.once("close", (status) => resolve({ status, stdout, stderr })));
}

const workflow = parse(fs.readFileSync(WORKFLOW, "utf8")) as Workflow;
// The checkout: the steps run in a folder that has the repository's examples/ (and gets enswitch.sarif).
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "enswitch-workflow-"));
fs.symlinkSync(path.join(REPO, "examples"), path.join(tmp, "examples"));
let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
  // `npx enswitch` inside this repository: the package's own bin.
  const bin = path.join(tmp, "bin");
  fs.mkdirSync(bin);
  fs.writeFileSync(
    path.join(bin, "npx"),
    `#!/bin/sh\n[ "$1" = enswitch ] && shift\nexec "${process.execPath}" "${CLI}" "$@"\n`,
    {
      mode: 0o755,
    },
  );
});

afterAll(async () => {
  await sim?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("the example workflow", () => {
  it("is a valid GitHub Actions workflow for action-validator", () => {
    const validator = path.join(REPO, "node_modules", ".bin", "action-validator");
    const result = spawnSync(validator, [WORKFLOW], { encoding: "utf8" });
    expect(result.stdout + result.stderr).not.toMatch(/error|fatal/i);
    expect(result.status).toBe(0);
  });

  it("action-validator does refuse a broken workflow (the check above can fail)", () => {
    const broken = path.join(tmp, "broken.yml");
    fs.writeFileSync(
      broken,
      "on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: 3\n",
    );
    const validator = path.join(REPO, "node_modules", ".bin", "action-validator");
    expect(spawnSync(validator, [broken], { encoding: "utf8" }).status).not.toBe(0);
  });

  const steps = enswitchSteps(workflow, tmp);

  it("has enswitch validate and enswitch drift steps, for every customer stack", () => {
    const commands = steps.map((s) => /enswitch (\w+)/.exec(s.step.run!)![1]);
    expect(new Set(commands)).toEqual(new Set(["validate", "drift"]));
  });

  it.each(steps.map((s) => [`${s.job}: ${s.step.name ?? "run"} (${JSON.stringify(s.matrix)})`, s] as const))(
    "%s runs against the simulator as written",
    async (_title, { step, matrix }) => {
      const dirs = Object.values(matrix).filter((v) => v.startsWith("examples/"));
      const customer = /customer-(\d+)/.exec(dirs.join(" "))?.[1] ?? "1";
      const login = LOGINS[customer]!;
      const secrets = {
        ENSWITCH_URL: sim.url,
        ENSWITCH_USERNAME: login.username,
        ENSWITCH_PASSWORD: login.password,
      };
      const context: Context = { matrix, secrets, env: workflow.env ?? {} };
      const stepEnv = Object.fromEntries(
        Object.entries(step.env ?? {}).map(([k, v]) => [k, substitute(String(v), context)]),
      );
      const output = path.join(tmp, `output-${Math.random().toString(36).slice(2)}`);
      fs.writeFileSync(output, "");
      const script = substitute(step.run!, context);
      const result = await run(script, {
        ...(workflow.env ?? {}),
        ...stepEnv,
        GITHUB_OUTPUT: output,
        PATH: `${path.join(tmp, "bin")}${path.delimiter}${process.env.PATH}`,
      });
      expect(result.stderr).not.toMatch(/enswitch: /);
      if (/enswitch validate/.test(script)) {
        // The whole step succeeds, and the first validate (remote, SARIF) found no error.
        expect(result.status).toBe(0);
        expect(fs.readFileSync(output, "utf8")).toContain("status=0");
        const sarif = path.join(tmp, "enswitch.sarif");
        expect(JSON.parse(fs.readFileSync(sarif, "utf8")).version).toBe("2.1.0");
        fs.rmSync(sarif);
        expect(result.stdout).toMatch(/^0 errors/m);
      } else {
        // Drift on an empty switch: every declared mailbox to create, so --fail-on-drift exits 3.
        expect(result.stdout).toMatch(
          /^[1-9]\d* to create, 0 to update, 0 unchanged, 0 on the switch only$/m,
        );
        expect(result.stdout).not.toMatch(/^skipped/m);
        expect(result.status).toBe(3);
      }
    },
  );
});
