import { agentFor, closeAgents } from "../../provider/enswitch/pool";

describe("connection pools", () => {
  afterAll(closeAgents);

  it("shares one Agent per origin across the process, created on first use", async () => {
    const a = agentFor("https://switch-a.example:443");
    expect(agentFor("https://switch-a.example:443")).toBe(a);
    expect(agentFor("https://switch-b.example:443")).not.toBe(a);
    await closeAgents();
    expect(agentFor("https://switch-a.example:443")).not.toBe(a);
  });
});
