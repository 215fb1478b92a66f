/**
 * examples/multi-switch: one program, several Enswitch switches (staging and production here; the
 * same works for one login per reseller customer).
 *
 * Each switch is a named profile of the structured stack config `enswitch:connections`. Credentials
 * stay in stack config, encrypted; the program only names the profile:
 *
 *   pulumi config set --path enswitch:connections.staging.url https://staging.example.com/api/json/
 *   pulumi config set --path enswitch:connections.staging.username admin
 *   pulumi config set --path --secret enswitch:connections.staging.password '<password>'
 *   pulumi config set --path enswitch:connections.production.url https://switch.example.com/api/json/
 *   pulumi config set --path enswitch:connections.production.username admin
 *   pulumi config set --path --secret enswitch:connections.production.password '<password>'
 *
 * A profile may also set `method` (POST or GET), `useToken`, `allowInsecureHttp`, `version` (the
 * switch's Enswitch version, e.g. "4.4"), `timeoutMs`, `retries`, `maxConcurrency`, `backoffBaseMs`
 * and `backoffMaxMs`.
 *
 * PINs, one per mailbox (4 to 20 digits):
 *
 *   pulumi config set --secret stagingSalesPin 4821
 *   pulumi config set --secret productionSalesPin 7305
 *   pulumi config set --secret officePin 6192
 */
import * as pulumi from "@pulumi/pulumi";
import * as enswitch from "pulumi-enswitch";

const config = new pulumi.Config();

// The same mailbox on both switches. Resource names must be unique in the program, so the profile
// is part of the name; the mailbox number may be the same on each switch.
for (const connection of ["staging", "production"]) {
  new enswitch.Mailbox(`sales-${connection}`, {
    connection,
    mailbox: "2001",
    pin: config.requireSecret(`${connection}SalesPin`),
    description: `Sales (${connection})`,
    owner: 101,
  });
}

// A mailbox of another customer on the production switch: `customer` picks the customer when the
// login may act for several (a reseller's administrator). It has its own PIN: `copyPin` may only name
// a mailbox of the same customer, and 2001 above lives in the login's own customer.
new enswitch.Mailbox("office-production", {
  connection: "production",
  customer: 2,
  mailbox: "3001",
  pin: config.requireSecret("officePin"),
  description: "Office",
});

// Moving a mailbox to another `connection` (or `customer`, or number) replaces it: the new mailbox is
// created first, then the old one deleted. Messages in the old mailbox are not moved.
