import * as grpc from "@grpc/grpc-js";
import { Any } from "google-protobuf/google/protobuf/any_pb";
import { Status } from "@pulumi/pulumi/proto/status_pb";
import { initFailureMetadata, initFailureOf, STATUS_DETAILS_KEY } from "./resourceInitFailure";

describe("initFailureOf", () => {
  it("decodes the id, properties and reasons of an ErrorResourceInitFailed in the status details", () => {
    const failure = {
      id: "1/2001",
      properties: { mailbox: "2001", customer: 1, description: "Sales", tags: ["a"] },
      reasons: ["mailboxes/get: the switch answered 503"],
    };
    const metadata = initFailureMetadata(grpc.Metadata, "mailbox 2001 was created but…", failure);

    expect(initFailureOf(metadata)).toEqual(failure);
  });

  it("is undefined for an ordinary failure (no status details)", () => {
    expect(initFailureOf(new grpc.Metadata())).toBeUndefined();
    expect(initFailureOf(undefined)).toBeUndefined();
  });

  it("ignores status details of other types", () => {
    const other = new Any();
    other.pack(new Uint8Array([8, 1]), "google.rpc.RetryInfo");
    const status = new Status();
    status.setCode(2);
    status.addDetails(other);
    const metadata = new grpc.Metadata();
    metadata.add(STATUS_DETAILS_KEY, Buffer.from(status.serializeBinary()));

    expect(initFailureOf(metadata)).toBeUndefined();
  });
});
