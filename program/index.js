// The root program (`main` of ../Pulumi.yaml): deploys the declarative mailbox files of
// examples/gitops/mailboxes, or the directory in the stack config `mailboxDir`.
//
// Plain JavaScript on purpose: Pulumi's nodejs runtime runs it as is, without ts-node. It loads the
// package by name from its build (`npm run build` → dist/; `npm start` builds first), the same way a
// user's project loads it from node_modules.
"use strict";
const { deployMailboxFiles } = require("pulumi-enswitch/definitions");

module.exports = deployMailboxFiles();
