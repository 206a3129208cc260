/**
 * The catalogue of domain events: one typed map from topic to payload. Each module declares the
 * events it emits in its own `*.events.ts` by augmenting `EventCatalogue`:
 *
 * ```ts
 * declare module '../../platform/event-catalogue.js' {
 *   interface EventCatalogue { 'ticket.shared': { ticketId: string; … } }
 * }
 * ```
 *
 * `recordEvent`, `subscribe` and `on` (platform/events.ts) take their topic and payload types from
 * here, so writing an unknown topic or a payload of the wrong shape is a compile error. The platform
 * itself declares no module's events: it does not import the modules.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging in each module's *.events.ts
export interface EventCatalogue {}

/** Every topic of the catalogue. */
export type EventTopic = keyof EventCatalogue & string;

/** The payload of one topic. */
export type EventPayload<T extends EventTopic> = EventCatalogue[T];

/** A domain event as read back from the outbox, its payload typed by its topic. */
export interface CatalogueEvent<T extends EventTopic> {
  id: number;
  topic: T;
  aggregateId: string | null;
  organisationId: string | null;
  payload: EventPayload<T>;
  createdAt: Date;
}

/** The events whose topic is one of `T`, as a union discriminated by `topic`. */
export type EventOf<T extends EventTopic> = { [K in T]: CatalogueEvent<K> }[T];

/** The topics a prefix subscription (`'ticket.'`) receives. */
export type TopicsWithPrefix<P extends string> = Extract<EventTopic, `${P}${string}`>;
