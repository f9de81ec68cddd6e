import pg from 'pg';
import type { Warnings } from './warnings.js';
import { EVERY_TABLE, type ChangeFeed } from './change-feed.js';

/** The channel migrations/006_change_notifications.sql notifies on, with the table's name. */
/** Named after the product (the package), not the dialect; migrations/006 notifies on it. */
export const CHANGES_CHANNEL = 'bitpay_emulator_changes';
const RECONNECT_MS = 1000;

export interface ChangeListener {
  close(): Promise<void>;
}

/**
 * Feeds other processes' changes on a shared PostgreSQL database into `feed`, over a
 * connection of its own. While that connection is down the feed is blind (nothing is served
 * from cache); it reconnects every second.
 */
export async function listenForChanges(databaseUrl: string, feed: ChangeFeed, logger: Warnings): Promise<ChangeListener> {
  let client: pg.Client | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: databaseUrl, application_name: 'bitpay-emulator changes' });
    let gone = false;
    const lost = (error?: Error) => {
      if (gone) return;
      gone = true;
      if (client === next) client = null;
      feed.setBlind(true);
      next.end().catch(() => {});
      if (closed) return;
      logger.warn('change notifications lost; reconnecting', { error: error?.message });
      retry = setTimeout(() => void connect().catch(() => {}), RECONNECT_MS);
    };
    next.on('error', lost);
    next.on('end', () => lost());
    next.on('notification', (message) => feed.changed(message.payload ? [message.payload] : EVERY_TABLE));
    try {
      await next.connect();
      await next.query(`LISTEN ${CHANGES_CHANNEL}`);
    } catch (error) {
      lost(error as Error);
      throw error;
    }
    client = next;
    feed.setBlind(false);
  };

  feed.setBlind(true);
  try {
    await connect();
  } catch (error) {
    closed = true;
    clearTimeout(retry);
    throw error;
  }
  return {
    async close() {
      closed = true;
      clearTimeout(retry);
      const open = client;
      client = null;
      await open?.end();
    },
  };
}
