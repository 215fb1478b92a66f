/**
 * What a program run reports: a registration the provider refuses is in `errors` once, those the
 * stopped deployment never reached are in `skipped`, and Pulumi's echoes of them (the resources'
 * outputs rejected, many times over) are not program errors.
 */
import { mailboxProgram } from "./mailboxProgram";
import { runProgram } from "./programRun";
import { startTestbed, Testbed } from "./testbed";

let bed: Testbed | undefined;
beforeAll(async () => (bed = await startTestbed({ name: "program-run" })));
afterAll(() => bed?.close());

it("reports refused registrations as their resources' errors, not also as program errors", async () => {
  if (!bed) throw new Error("no testbed");
  // Two mailboxes exist already, with other settings: the first one checked is refused, which stops the deployment.
  bed.sim.store.putMailbox(1, { mailbox: "4101", description: "made by hand" });
  bed.sim.store.putMailbox(1, { mailbox: "4102", description: "made by hand" });
  bed.project.writeFile(
    "refused.js",
    mailboxProgram(
      ["4100", "4101", "4102"].map((mailbox) => ({
        name: `mb-${mailbox}`,
        args: { mailbox, pin: "24681357", customer: 1 },
      })),
    ),
  );
  const run = await runProgram({ project: bed.project, host: bed.host, program: "refused.js" });
  expect(run.errors.map((e) => e.urn.split("::").pop())).toEqual(["mb-4101"]);
  expect(run.skipped?.map((urn) => urn.split("::").pop())).toEqual(["mb-4102"]);
  expect(run.programErrors).toEqual([]);
  expect(run.steps.map((s) => s.op)).toEqual(["create"]);
});
