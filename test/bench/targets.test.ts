/**
 * The decomposition beside the targets: ours ≈ wall − null provider − bare loop, and the time beyond
 * Pulumi's floor against the bare loop, judged without touching the targets themselves.
 */
import type { ScenarioFigures } from "./benchmark";
import { decompositionTable } from "./report";
import { decompose, verdicts } from "./targets";

function figures(over: Partial<ScenarioFigures>): ScenarioFigures {
  return {
    scenario: "deploy",
    variant: "as built",
    parallelism: 10,
    n: 1000,
    latencyMs: 20,
    passes: 1,
    wallMs: 26_000,
    rpcs: 0,
    maxSerialInFlight: 1,
    maxStepsInFlight: 10,
    steps: {},
    calls: { "mailboxes/create": 1000 },
    callsTotal: 3000,
    floorMs: 6000,
    bareMs: 22_000,
    ratio: 26_000 / 22_000,
    bareMismatches: 0,
    nullMs: 3000,
    nullRatio: 26_000 / 3000,
    nullHostCpuMsPerMailbox: 0.8,
    nullEngineCpuMsPerMailbox: 1.5,
    nullPeakRssMb: null,
    stateBytesPerMailbox: 1800,
    peakRssMb: null,
    idleRssMb: null,
    retainedHeapMb: null,
    hostCpuMsPerMailbox: 6,
    engineCpuMsPerMailbox: 3,
    switchCpuMsPerMailbox: 2,
    ...over,
  };
}

it("takes a scenario apart into Pulumi's floor, the switch and ours", () => {
  const d = decompose(figures({}));
  expect(d?.oursMs).toBe(1000);
  expect(d?.beyondFloorRatio).toBeCloseTo(23 / 22);
  expect(d?.hostCpuMsPerMailbox).toBeCloseTo(5.2);
  expect(d?.engineCpuMsPerMailbox).toBeCloseTo(1.5);
});

it("counts a scenario without requests as bare 0 and has no ratio for it; without the null provider, nothing", () => {
  const preview = decompose(
    figures({ scenario: "preview", callsTotal: 0, calls: {}, bareMs: null, wallMs: 5000 }),
  );
  expect(preview).toMatchObject({ oursMs: 2000, beyondFloorRatio: null });
  expect(decompose(figures({ nullMs: null }))).toBeUndefined();
  // Requests made but the bare loop not run: no decomposition either.
  expect(decompose(figures({ bareMs: null }))).toBeUndefined();
});

it("adds the beyond-the-floor verdicts after the bare-loop targets, which stay as they were", () => {
  const list = verdicts([figures({})], [], 281);
  const targets = list.map((v) => v.target);
  const bare = targets.indexOf("deploy ≤ 1.1 × its bare loop");
  const beyond = targets.indexOf("deploy: (wall − null provider) ≤ 1.1 × its bare loop");
  expect(bare).toBeGreaterThanOrEqual(0);
  expect(list[bare]).toMatchObject({ met: false, figure: "1.18 (26.00 s against 22.00 s)" });
  expect(beyond).toBeGreaterThan(bare);
  expect(list[beyond]).toMatchObject({ met: true });
  expect(list[beyond]?.figure).toContain("ours ≈ 1.00 s");
});

it("prints the decomposition as a table, one row per scenario with the null provider", () => {
  const table = decompositionTable([figures({}), figures({ scenario: "destroy", nullMs: null })], true);
  const lines = table.split("\n");
  expect(lines).toHaveLength(3);
  expect(lines[2]).toBe("| deploy | 26.00 | 3.00 | 22.00 | 1.00 | 1.00 | 1.05 | 5.20 | 1.50 |");
});

it("judges the host's peak memory against its idle host, and gives the null provider's host beside it", () => {
  const rss = (over: Partial<ScenarioFigures>) =>
    verdicts([figures({ peakRssMb: 190, idleRssMb: 125, ...over })], [], 281).find((v) =>
      v.target.startsWith("host peak RSS"),
    );
  expect(rss({})).toMatchObject({ met: false, figure: "1.52 in deploy (190 against 125 MiB)" });
  expect(rss({ nullPeakRssMb: 175 })?.figure).toBe(
    "1.52 in deploy (190 against 125 MiB); the null provider's host: 1.40 (175 MiB)",
  );
  expect(rss({ peakRssMb: 140 })?.met).toBe(true);
});
