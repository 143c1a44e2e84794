/**
 * An independent protobuf implementation of `harmonymessage.proto`, for differential tests:
 * @bufbuild/protobuf (which passes the protobuf conformance suite) driven by a descriptor built
 * here from the field table of the `.proto` file. Nothing in it comes from the spec.
 */
import {
  create,
  createFileRegistry,
  type DescMessage,
  fromBinary,
  type Message,
  toBinary,
} from "@bufbuild/protobuf";
import {
  FieldDescriptorProto_Label as Label,
  FieldDescriptorProto_Type as Type,
  FileDescriptorProtoSchema,
} from "@bufbuild/protobuf/wkt";

function field(name: string, number: number, type: Type, extra: Record<string, unknown> = {}) {
  return { name, number, type, label: Label.OPTIONAL, jsonName: name, ...extra };
}
function sub(name: string, number: number, typeName: string) {
  return field(name, number, Type.MESSAGE, {
    typeName: `.harmonymessage.${typeName}`,
    oneofIndex: 0,
  });
}

const FILE = create(FileDescriptorProtoSchema, {
  name: "harmonymessage.proto",
  package: "harmonymessage",
  syntax: "proto3",
  messageType: [
    {
      name: "Message",
      field: [
        field("service_type", 1, Type.INT32),
        field("type", 2, Type.INT32),
        field("signature", 3, Type.BYTES),
        sub("staking", 4, "StakingRequest"),
        sub("consensus", 5, "ConsensusRequest"),
        sub("drand", 6, "DrandRequest"),
        sub("viewchange", 7, "ViewChangeRequest"),
        sub("lottery_request", 8, "LotteryRequest"),
        sub("last_sign_power", 9, "LastSignPowerBroadcast"),
      ],
      oneofDecl: [{ name: "request" }],
    },
    {
      name: "ConsensusRequest",
      field: [
        field("view_id", 1, Type.UINT64),
        field("block_num", 2, Type.UINT64),
        field("shard_id", 3, Type.UINT32),
        field("block_hash", 4, Type.BYTES),
        field("block", 5, Type.BYTES),
        field("sender_pubkey", 6, Type.BYTES),
        field("payload", 7, Type.BYTES),
        field("sender_pubkey_bitmap", 8, Type.BYTES),
      ],
    },
    {
      name: "ViewChangeRequest",
      field: [
        field("view_id", 1, Type.UINT64),
        field("block_num", 2, Type.UINT64),
        field("shard_id", 3, Type.UINT32),
        field("sender_pubkey", 4, Type.BYTES),
        field("leader_pubkey", 5, Type.BYTES),
        field("payload", 6, Type.BYTES),
        field("viewchange_sig", 7, Type.BYTES),
        field("viewid_sig", 8, Type.BYTES),
        field("m2_aggsigs", 9, Type.BYTES),
        field("m2_bitmap", 10, Type.BYTES),
        field("m3_aggsigs", 11, Type.BYTES),
        field("m3_bitmap", 12, Type.BYTES),
        field("prepared_block", 13, Type.BYTES),
      ],
    },
    {
      name: "LastSignPowerBroadcast",
      field: [
        field("prepare", 1, Type.INT64),
        field("commit", 2, Type.INT64),
        field("change", 3, Type.INT64),
        field("sender_pubkey", 4, Type.BYTES),
        field("shard_id", 5, Type.UINT32),
      ],
    },
    {
      name: "StakingRequest",
      field: [field("transaction", 1, Type.BYTES), field("node_id", 2, Type.STRING)],
    },
    {
      name: "DrandRequest",
      field: [
        field("shard_id", 1, Type.UINT32),
        field("sender_pubkey", 2, Type.BYTES),
        field("block_hash", 3, Type.BYTES),
        field("payload", 4, Type.BYTES),
      ],
    },
    {
      name: "LotteryRequest",
      field: [
        field("type", 1, Type.ENUM, { typeName: ".harmonymessage.LotteryType" }),
        field("private_key", 2, Type.STRING),
        field("amount", 3, Type.INT64),
      ],
    },
  ],
  enumType: [{ name: "LotteryType", value: [{ name: "ENTER", number: 0 }] }],
});

const REGISTRY = createFileRegistry(FILE, () => undefined);

/** The oracle's `Message` descriptor. */
export const ORACLE_MESSAGE: DescMessage = REGISTRY.getMessage("harmonymessage.Message")!;

/** Decodes with the oracle; throws whatever the oracle throws. */
export function oracleDecode(bytes: Uint8Array): Message {
  return fromBinary(ORACLE_MESSAGE, bytes);
}

/** Re-encodes an oracle message (known fields in order, then unknown fields). */
export function oracleEncode(message: Message): Uint8Array {
  return toBinary(ORACLE_MESSAGE, message);
}

/** Which `oneof request` member the oracle decoded, by field name, or undefined. */
export function oracleRequestCase(message: Message): string | undefined {
  return (message as unknown as { request: { case?: string } }).request.case;
}
