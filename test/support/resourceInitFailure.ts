/**
 * Pulumi's "created but failed to initialise", as it travels over gRPC. A provider whose Create (or
 * Update) made the resource but could not finish it fails the call with a `google.rpc.Status` in the
 * `grpc-status-details-bin` metadata, whose details hold a `pulumirpc.ErrorResourceInitFailed`: the
 * resource's id, its outputs and the reasons. The engine keeps such a resource in state with that id
 * and those outputs, reports the error, and updates the resource on the next run.
 *
 * The dynamic provider host sends one when a handler throws an error that has an `id` (see
 * `grpcResponseFromError` in `@pulumi/pulumi/cmd/dynamic-provider`).
 */
import type * as grpc from "@grpc/grpc-js";
import { Any } from "google-protobuf/google/protobuf/any_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as proto from "@pulumi/pulumi/proto/provider_pb";
import { Status } from "@pulumi/pulumi/proto/status_pb";
import { fromStruct, PropertyMap } from "./propertyValues";

/** The metadata key gRPC carries a `google.rpc.Status` under. */
export const STATUS_DETAILS_KEY = "grpc-status-details-bin";

/** The type name of the detail, as the host packs it into an `Any`. */
export const INIT_FAILED_TYPE = "pulumirpc.ErrorResourceInitFailed";

/** A resource that exists but failed to initialise. */
export interface ResourceInitFailure {
  /** The id the resource was created with. */
  id: string;
  /** Its outputs as the provider knew them. */
  properties: PropertyMap;
  /** Why it failed to initialise. */
  reasons: string[];
}

/**
 * The init failure a failed call's metadata carries, or `undefined` when it carries none (an
 * ordinary failure: nothing was created).
 *
 * @example
 * ```ts
 * rpc.create(req, (error) => { const failure = error ? initFailureOf(error.metadata) : undefined; });
 * ```
 */
export function initFailureOf(metadata: grpc.Metadata | undefined): ResourceInitFailure | undefined {
  for (const value of metadata?.get(STATUS_DETAILS_KEY) ?? []) {
    if (typeof value === "string") continue;
    const status = Status.deserializeBinary(new Uint8Array(value));
    for (const detail of status.getDetailsList()) {
      if (!isInitFailed(detail)) continue;
      const failed = proto.ErrorResourceInitFailed.deserializeBinary(detail.getValue_asU8());
      return {
        id: failed.getId(),
        properties: fromStruct(failed.getProperties()),
        reasons: failed.getReasonsList(),
      };
    }
  }
  return undefined;
}

/**
 * The metadata a provider sends for `failure` (what the dynamic provider host builds): for tests of
 * {@link initFailureOf} and of anything that must handle an init failure without a host.
 */
export function initFailureMetadata(
  MetadataClass: typeof grpc.Metadata,
  message: string,
  failure: ResourceInitFailure,
): grpc.Metadata {
  const detail = new proto.ErrorResourceInitFailed();
  detail.setId(failure.id);
  detail.setProperties(
    Struct.fromJavaScript(failure.properties as Parameters<typeof Struct.fromJavaScript>[0]),
  );
  detail.setReasonsList(failure.reasons);
  const any = new Any();
  any.pack(detail.serializeBinary(), INIT_FAILED_TYPE);
  const status = new Status();
  status.setCode(2);
  status.setMessage(message);
  status.addDetails(any);
  const metadata = new MetadataClass();
  metadata.add(STATUS_DETAILS_KEY, Buffer.from(status.serializeBinary()));
  return metadata;
}

function isInitFailed(detail: Any): boolean {
  // `Any.pack` prefixes the name with `type.googleapis.com/`; accept either spelling.
  return detail.getTypeName() === INIT_FAILED_TYPE || detail.getTypeUrl().endsWith(`/${INIT_FAILED_TYPE}`);
}
