import { ProgressBar, ProgressStream } from "../../provider/cli/progress";

function stream(isTTY: boolean): ProgressStream & { text: string } {
  return {
    isTTY,
    columns: 60,
    text: "",
    write(chunk: string) {
      this.text += chunk;
      return true;
    },
  };
}

describe("ProgressBar", () => {
  it("draws in place on a terminal when there is much to do, and clears its line at the end", () => {
    const out = stream(true);
    const bar = new ProgressBar(40, { stream: out, label: "checking" });
    for (let i = 0; i < 40; i++) bar.tick();
    bar.done();
    expect(bar.visible).toBe(true);
    expect(out.text.startsWith("\rchecking [")).toBe(true);
    expect(out.text).toContain("] 40/40");
    expect(out.text.endsWith("\r\u001b[2K")).toBe(true);
    expect(out.text).not.toContain("\n");
  });

  it("draws nothing when the stream is not a terminal (CI logs, pipes)", () => {
    const out = stream(false);
    const bar = new ProgressBar(500, { stream: out });
    for (let i = 0; i < 500; i++) bar.tick();
    bar.done();
    expect(out.text).toBe("");
  });

  it("draws nothing for a short run", () => {
    const out = stream(true);
    const bar = new ProgressBar(5, { stream: out });
    bar.tick();
    bar.done();
    expect(out.text).toBe("");
  });
});
