import { expect } from 'chai';
import { createChangeFeed, EVERY_TABLE, tablesChangedBy } from '../../src/db/change-feed.js';
import { createVersionedCache } from '../../src/engine/cache.js';

describe('change feed', () => {
  it('reads the tables a statement changes off its SQL', () => {
    const table: [string, bigint | undefined, ReturnType<typeof tablesChangedBy>][] = [
      ['select * from "invoices" where "id" = $1', undefined, []],
      ['SELECT tip.height AS tip_height, t.* FROM (SELECT max(height) AS height FROM blocks) AS tip', undefined, []],
      ['select "id" from "invoices" where "id" = $1 for update skip locked', undefined, ['skip']],
      ['SELECT pg_advisory_xact_lock($1)', undefined, []],
      ['begin', undefined, []],
      ['insert into "invoices" ("id") values ($1)', 1n, ['invoices']],
      ['with "created" as (insert into "invoices" ("id") values ($1) returning *), "history" as (insert into "invoice_events" ("invoice_id") select "id" from "created") select * from "created"', 0n, ['invoices', 'invoice_events']],
      ['update "invoices" set "status" = $1 where "id" = $2', 1n, ['invoices']],
      ['update "invoices" set "status" = $1 where "id" = $2', 0n, []],
      ['\n    UPDATE invoices AS i SET due_at = NULL FROM due WHERE i.id = due.id', 3n, ['invoices']],
      ['delete from "blocks"', undefined, ['blocks']],
      ['insert into "blocks" ("height") values ($1) on conflict do update set "hash" = $2', 1n, ['blocks', 'set']],
      ['-- Invoices, their events\nCREATE TABLE invoices (id text PRIMARY KEY)', undefined, EVERY_TABLE],
      ['TRUNCATE invoices', undefined, EVERY_TABLE],
      ['ANALYZE "webhook_deliveries"', undefined, []],
    ];
    for (const [statement, rows, changed] of table) expect(tablesChangedBy(statement, rows), statement).to.deep.equal(changed);
  });

  it('versions grow with every change of the tables asked about, and are null while blind', () => {
    const feed = createChangeFeed();
    const tables = ['invoices', 'blocks'];
    const start = feed.version(tables) as number;
    feed.changed(['webhook_deliveries']);
    expect(feed.version(tables)).to.equal(start);
    feed.changed(['blocks']);
    const afterBlock = feed.version(tables) as number;
    expect(afterBlock).to.be.greaterThan(start);
    feed.changed(EVERY_TABLE);
    const seen = feed.version(tables) as number;
    expect(seen).to.be.greaterThan(afterBlock);
    feed.setBlind(true);
    expect(feed.version(tables)).to.equal(null);
    feed.setBlind(false);
    expect(feed.version(tables)).to.be.greaterThan(seen);
  });
});

describe('versioned cache', () => {
  const setup = () => {
    const feed = createChangeFeed();
    const cache = createVersionedCache<string, number>(() => feed.version(['invoices']));
    let loads = 0;
    const load = (value: number | undefined) => async () => {
      loads++;
      return value;
    };
    return { feed, cache, load, loads: () => loads };
  };

  it('serves an entry until a table it depends on changes', async () => {
    const { feed, cache, load, loads } = setup();
    expect(await cache.get('a', load(1))).to.equal(1);
    expect(await cache.get('a', load(2))).to.equal(1);
    feed.changed(['invoice_events']);
    expect(await cache.get('a', load(3))).to.equal(1);
    feed.changed(['invoices']);
    expect(await cache.get('a', load(4))).to.equal(4);
    expect(loads()).to.equal(2);
  });

  it('does not keep what was loaded while a change happened, nor anything while blind, nor "not found"', async () => {
    const { feed, cache, load, loads } = setup();
    expect(await cache.get('a', async () => (feed.changed(['invoices']), 1))).to.equal(1);
    expect(await cache.get('a', load(2))).to.equal(2);
    feed.setBlind(true);
    expect(await cache.get('b', load(5))).to.equal(5);
    expect(await cache.get('b', load(6))).to.equal(6);
    feed.setBlind(false);
    expect(await cache.get('c', load(undefined))).to.equal(undefined);
    expect(await cache.get('c', load(7))).to.equal(7);
    expect(loads()).to.equal(5);
  });
});
