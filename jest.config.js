/** Tests mirror provider/: test/<folder>/<file>.test.ts. Layers that need the built package run after `npm run build`. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] },
  testTimeout: 60000,
  // Packs the package once per run for the tests through the real provider host (test/support/packedPackage.ts).
  globalSetup: "<rootDir>/test/support/globalSetup.ts",
};
