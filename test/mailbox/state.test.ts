/** What a mailbox keeps in state: its id, complete outputs, and a layout version later code can read. */
import { EnswitchError } from "../../provider/enswitch/errors";
import { STATE_VERSION, mailboxId, outputsOf, parseId, upgradeState } from "../../provider/mailbox/state";

describe("ids", () => {
  it("are <customer>/<mailbox>, leading zeros kept", () => {
    expect(mailboxId({ customer: 2, mailbox: "0042" })).toBe("2/0042");
    expect(parseId("2/0042", {})).toEqual({ customer: 2, mailbox: "0042" });
  });

  it("fall back to the outputs, and fail clearly when neither names a mailbox", () => {
    expect(parseId("odd", { customer: 1, mailbox: "7" })).toEqual({ customer: 1, mailbox: "7" });
    expect(() => parseId("odd", {})).toThrow(EnswitchError);
  });
});

describe("state versions", () => {
  it("reads state without a version as version 1, and refuses state from a newer package", () => {
    expect(upgradeState({ mailbox: "1" }).stateVersion).toBe(STATE_VERSION);
    expect(() => upgradeState({ stateVersion: STATE_VERSION + 1 })).toThrow(/newer pulumi-enswitch/);
  });
});

describe("outputs", () => {
  it("prefer the switch's values, keep the PIN the deployment set, and carry the provider's own", () => {
    const outs = outputsOf({
      declared: { mailbox: "7", description: "declared", copyPin: "" },
      current: { description: "on the switch", timezone: "Europe/London" },
      address: { customer: 1, mailbox: "7" },
      pin: "4821",
      resource: { adopt: false },
    });
    expect(outs).toEqual({
      mailbox: "7",
      customer: 1,
      description: "on the switch",
      timezone: "Europe/London",
      copyPin: "",
      pin: "4821",
      adopt: false,
      stateVersion: STATE_VERSION,
    });
  });
});
