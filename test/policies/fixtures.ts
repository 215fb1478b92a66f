/** Mailbox props for policy tests. */

/** A mailbox every policy of the library accepts with its default options. */
export function goodMailbox(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    mailbox: "2001",
    pin: "582947",
    owner: 17,
    timezone: "Europe/London",
    description: "Sales team, main line",
    ...overrides,
  };
}

/** `props` without the keys listed: the program omitted them. */
export function without(props: Record<string, unknown>, ...keys: string[]): Record<string, unknown> {
  const copy = { ...props };
  for (const key of keys) delete copy[key];
  return copy;
}
