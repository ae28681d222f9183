/**
 * The wire types the widget speaks, re-exported from the TypeScript bindings that are generated
 * from the Rust protocol crate (`crates/protocol/bindings`). Never edit or copy them by hand.
 */
export type { Author } from "../../crates/protocol/bindings/Author";
export type { ConversationEvent } from "../../crates/protocol/bindings/ConversationEvent";
export type { ConversationState } from "../../crates/protocol/bindings/ConversationState";
export type { EventBody } from "../../crates/protocol/bindings/EventBody";
export type { Invitation } from "../../crates/protocol/bindings/Invitation";
export type { FileInfo } from "../../crates/protocol/bindings/FileInfo";
export type { OperatorRef } from "../../crates/protocol/bindings/OperatorRef";
export type { PageInfo } from "../../crates/protocol/bindings/PageInfo";
export type { ProtocolError } from "../../crates/protocol/bindings/ProtocolError";
export type { ReadMarks } from "../../crates/protocol/bindings/ReadMarks";
export type { SurveyAnswer } from "../../crates/protocol/bindings/SurveyAnswer";
export type { SurveyField } from "../../crates/protocol/bindings/SurveyField";
export type { TextSpan } from "../../crates/protocol/bindings/TextSpan";
export type { UploadStatus } from "../../crates/protocol/bindings/UploadStatus";
export type { VisitorConversation } from "../../crates/protocol/bindings/VisitorConversation";
export type { VisitorEvent } from "../../crates/protocol/bindings/VisitorEvent";
export type { VisitorRequest } from "../../crates/protocol/bindings/VisitorRequest";

/** The protocol version sent in `Hello` (`PROTOCOL_VERSION` in the protocol crate). */
export const PROTOCOL_VERSION = 1;
