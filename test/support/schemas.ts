import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { expect } from 'chai';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { schemas } from '../../src/http/validate.js';

/** Asserts that `value` validates against one of the project's schemas (schemas/…), strictly. */
export function expectSchema(id: string, value: unknown): void {
  const validate = schemas.getSchema(id);
  if (!validate) throw new Error(`no schema ${id}`);
  const ok = validate(value);
  expect(ok, `${id}: ${JSON.stringify(validate.errors)}`).to.equal(true);
}

const seedAjv = new Ajv2020({ strict: false });
(addFormatsModule as unknown as (ajv: Ajv2020) => void)(seedAjv);
const seed003 = seedAjv.compile(
  JSON.parse(readFileSync(new URL('../fixtures/seed-003-invoice.schema.json', import.meta.url), 'utf8')),
);

/**
 * Seed 003's invoice schema, with its two known disagreements with BitPay set aside (README,
 * compatibility notes): it types exceptionStatus as a string where BitPay sends `false` until
 * there is an exception, and its status enum lacks `declined`.
 */
export function expectSeed003(invoice: Record<string, unknown>): void {
  const copy = { ...invoice };
  if (copy.exceptionStatus === false) delete copy.exceptionStatus;
  if (copy.status === 'declined') copy.status = 'invalid';
  const ok = seed003(copy);
  expect(ok, `seed 003: ${JSON.stringify(seed003.errors)}`).to.equal(true);
}

const sdkRequire = createRequire(import.meta.url);
const sdkDist = dirname(sdkRequire.resolve('bitpay-sdk'));
const { invoiceSchema } = sdkRequire(join(sdkDist, 'Model/Invoice/Invoice.zod.js')) as {
  invoiceSchema: { safeParse(v: unknown): { success: boolean; error?: unknown } };
};

/** The official Node SDK's own zod model of an invoice. */
export function expectSdkInvoiceModel(invoice: unknown): void {
  const result = invoiceSchema.safeParse(invoice);
  expect(result.success, `bitpay-sdk Invoice.zod: ${JSON.stringify(result.error)}`).to.equal(true);
}

/** All three contracts at once: ours (strict), seed 003, and the SDK model. */
export function expectInvoiceContract(invoice: Record<string, unknown>): void {
  expectSchema('resources/invoice', invoice);
  expectSeed003(invoice);
  expectSdkInvoiceModel(invoice);
}
