/**
 * The simulator's fixture: the customers, people and logins a fresh switch knows. Mailboxes are not
 * part of it (they are state, see `store.ts`).
 */

/** A role of an Enswitch login. `create` and `delete` need `administrator`. */
export type Role = "administrator" | "user" | "residential";

/** A person of a customer: a possible mailbox `owner` (the simulator accepts any owner ID). */
export interface FixturePerson {
  /** The person ID used as `owner`. */
  id: number;
  name: string;
}

/** A customer of the switch. */
export interface FixtureCustomer {
  /** The customer ID (`customer` parameter). */
  id: number;
  name: string;
  /** The customer's default time zone, returned as `timezone` of mailboxes that have none. */
  timezone: string;
  /** Whether the customer's rate plan allows mailboxes (else create and destinations/set answer 403). */
  allowsMailboxes: boolean;
  /** People who may own mailboxes. */
  people: FixturePerson[];
}

/** A login of the switch. */
export interface FixtureUser {
  username: string;
  password: string;
  /** The customer the login belongs to: the default `customer` of its calls. */
  customer: number;
  role: Role;
  /** Other customers this login may act on (reseller style); only honoured for administrators. */
  customers?: number[];
}

/** Everything a simulator knows before the first request. */
export interface Fixture {
  customers: FixtureCustomer[];
  users: FixtureUser[];
}

/**
 * The default fixture.
 *
 * - customer 1 (Europe/London; people 101 Alice, 102 Bob, 103 Carol): administrator `admin`/`admin`,
 *   user-role login `user1`/`user1`;
 * - customer 2 (America/New_York; people 201 Dave, 202 Erin): administrator `admin2`/`admin2`,
 *   user-role login `user2`/`user2`;
 * - customer 3 (Europe/Paris; person 301 Frank), whose rate plan disallows mailboxes: administrator
 *   `admin3`/`admin3`.
 *
 * No mailboxes. A new object on every call, so callers may change it.
 */
export function defaultFixture(): Fixture {
  return {
    customers: [
      {
        id: 1,
        name: "Example Ltd",
        timezone: "Europe/London",
        allowsMailboxes: true,
        people: [
          { id: 101, name: "Alice" },
          { id: 102, name: "Bob" },
          { id: 103, name: "Carol" },
        ],
      },
      {
        id: 2,
        name: "Second Customer Inc",
        timezone: "America/New_York",
        allowsMailboxes: true,
        people: [
          { id: 201, name: "Dave" },
          { id: 202, name: "Erin" },
        ],
      },
      {
        id: 3,
        name: "No Voicemail SARL",
        timezone: "Europe/Paris",
        allowsMailboxes: false,
        people: [{ id: 301, name: "Frank" }],
      },
    ],
    users: [
      { username: "admin", password: "admin", customer: 1, role: "administrator" },
      { username: "user1", password: "user1", customer: 1, role: "user" },
      { username: "admin2", password: "admin2", customer: 2, role: "administrator" },
      { username: "user2", password: "user2", customer: 2, role: "user" },
      { username: "admin3", password: "admin3", customer: 3, role: "administrator" },
    ],
  };
}
