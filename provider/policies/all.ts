/** The list of every policy of this library: what the ready pack serves. */
import type { Policies } from "@pulumi/policy";
import { descriptionRequired } from "./descriptionRequired";
import { mailboxUnique } from "./mailboxUnique";
import { notificationSafety } from "./notificationSafety";
import { numberPlan } from "./numberPlan";
import { ownerRequired } from "./ownerRequired";
import { pinStrength } from "./pinStrength";
import { timezoneRequired } from "./timezoneRequired";

/** Every policy of this library, resource policies first. */
export const policies: Policies = [
  ownerRequired,
  timezoneRequired,
  notificationSafety,
  pinStrength,
  descriptionRequired,
  mailboxUnique,
  numberPlan,
];
