/** The contract's types, as the sandbox portal sees them (it speaks the same contract as the office). */
export type { InboundEvent, InboundBatch, OutboundBatch, OutboundAck, OutboundEvent } from '../../electron/portal/contract';
export type PortalChannel = 'portale' | 'app' | 'telefono' | 'sms';
