/**
 * The profile summary's attribution by stack: module loading, and what ran under the provider's own
 * frames, told apart from the same functions called by Pulumi's host.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { summariseProfiles } from "./cpuProfile";

const OURS = "file:///p/node_modules/pulumi-enswitch/dist/mailbox/provider.js";
const ZOD = "file:///p/node_modules/zod/v4/core/schemas.cjs";
const PB = "file:///p/node_modules/google-protobuf/google-protobuf.js";

it("attributes self time to module loading and to the provider's handlers by the stack it ran under", () => {
  const frame = (functionName: string, url = "") => ({ functionName, url, lineNumber: 0 });
  // root → Module._load → wrapSafe (3 hits); root → check (ours, 1) → parse (zod, 4);
  // root → fromJavaScript (protobuf, 2) → parse (zod, 5): zod outside our frames is not ours.
  const profile = {
    nodes: [
      { id: 1, callFrame: frame("(root)"), hitCount: 0, children: [2, 4, 6] },
      {
        id: 2,
        callFrame: frame("Module._load", "node:internal/modules/cjs/loader"),
        hitCount: 0,
        children: [3],
      },
      { id: 3, callFrame: frame("wrapSafe", "node:internal/modules/cjs/loader"), hitCount: 3 },
      { id: 4, callFrame: frame("check", OURS), hitCount: 1, children: [5] },
      { id: 5, callFrame: frame("parse", ZOD), hitCount: 4 },
      { id: 6, callFrame: frame("fromJavaScript", PB), hitCount: 2, children: [7] },
      { id: 7, callFrame: frame("parse", ZOD), hitCount: 5 },
    ],
    startTime: 0,
    endTime: 15_000,
    samples: Array.from({ length: 15 }, () => 1),
  };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cpuprofile-"));
  try {
    fs.writeFileSync(path.join(dir, "1.cpuprofile"), JSON.stringify(profile));
    const summary = summariseProfiles(dir);
    const stacks = Object.fromEntries(summary.stacks.map((r) => [r.name, r.selfMs]));
    expect(stacks).toEqual({
      "module loading (require, compile)": 3,
      "under the provider's handlers: zod": 4,
      "under the provider's handlers: pulumi-enswitch (provider code)": 1,
    });
    // By area, zod is all of its self time wherever it was called from.
    expect(summary.areas.find((r) => r.name === "zod")?.selfMs).toBe(9);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
