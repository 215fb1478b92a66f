/**
 * The fast tier, `npm run test:unit`: schema, client, policies and mailbox files, in process. No build,
 * no packed package, no provider host, no child `node` (the full `npm test` runs those).
 */
const base = require("./jest.config.js");

module.exports = {
  ...base,
  globalSetup: undefined,
  testMatch: [
    "<rootDir>/test/mailbox/{schema,schema.property,wire,wire.property,engine}.test.ts",
    "<rootDir>/test/enswitch/*.test.ts",
    "<rootDir>/test/policies/*.test.ts",
    "<rootDir>/test/definitions/!(program).test.ts",
    "<rootDir>/test/cli/{render,compareWithSwitch}.test.ts",
    "<rootDir>/test/{lint,scripts}/*.test.ts",
  ],
};
