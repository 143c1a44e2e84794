/**
 * How the node's validators and shards talk: publish/subscribe on named topics, the model of
 * libp2p gossipsub that Harmony uses. Consensus code only sees this interface, so the default
 * in-process transport can be replaced by a gossipsub transport (validators in separate processes
 * or hosts) without touching it.
 *
 * Topics used by the node: `consensus/<shard>` (FBFT messages of a shard's committee),
 * `crosslink` (shard headers with their commit certificates, for the beacon chain),
 * `receipts/<shard>` (cross-shard receipt proofs bound for a shard), `blocks/<shard>` (committed
 * blocks, for validators that catch up).
 *
 * @module
 */

/** A message handler; it receives the bytes published and the publisher's name. */
export type Handler = (message: Uint8Array, from: string) => void;

/** The transport of one participant (a validator or a shard's node). */
export interface Transport {
  /** The participant's name, for logs. */
  readonly name: string;
  /** Publishes to every other subscriber of the topic (not back to the publisher). */
  publish(topic: string, message: Uint8Array): void;
  /** Subscribes to a topic; returns a function that unsubscribes. */
  subscribe(topic: string, handler: Handler): () => void;
}

/**
 * An in-process network: every participant is an endpoint of one hub. Delivery is asynchronous
 * (a message never reenters its publisher's call stack) and in publication order per topic. An
 * endpoint can be disconnected and reconnected, which is how the node stops and restarts a
 * validator.
 */
export interface InProcessHub {
  /** A new endpoint on the hub. */
  endpoint(name: string): Transport;
  /** Stops delivery to and from an endpoint. */
  disconnect(name: string): void;
  /** Resumes delivery to and from an endpoint. */
  reconnect(name: string): void;
  /** Whether an endpoint is connected. */
  isConnected(name: string): boolean;
}

/** Creates an in-process hub. */
export function inProcessHub(): InProcessHub {
  const subscribers = new Map<string, Set<{ name: string; handler: Handler }>>();
  const disconnected = new Set<string>();
  return {
    endpoint(name) {
      return {
        name,
        publish(topic, message) {
          if (disconnected.has(name)) return;
          for (const s of subscribers.get(topic) ?? []) {
            if (s.name === name) continue;
            setTimeout(() => {
              if (!disconnected.has(s.name)) s.handler(message, name);
            }, 0);
          }
        },
        subscribe(topic, handler) {
          const entry = { name, handler };
          const set = subscribers.get(topic) ?? new Set();
          set.add(entry);
          subscribers.set(topic, set);
          return () => set.delete(entry);
        },
      };
    },
    disconnect: (name) => void disconnected.add(name),
    reconnect: (name) => void disconnected.delete(name),
    isConnected: (name) => !disconnected.has(name),
  };
}
