import { expect } from 'chai';
import { startTestEmulator, type Emulator } from '../support/emulator.js';
import { PYTHON_SDK_PRESENT, runPython, expectEveryMethodAnswered, type SdkReport } from '../support/sdks.js';

/** Every public method of the Python SDK's Client that talks to a server (its factories and helpers aside). */
const METHODS = [
  'get_rates', 'get_currency_rates', 'get_currency_pair_rate', 'get_currencies', 'get_supported_wallets',
  'create_invoice', 'get_invoice', 'get_invoice_by_guid', 'get_invoices', 'get_invoice_event_token', 'update_invoice',
  'request_invoice_notifications', 'pay_invoice', 'cancel_invoice', 'cancel_invoice_by_guid',
  'create_refund', 'get_refund', 'get_refund_by_guid', 'get_refunds', 'update_refund', 'request_refund_notification',
  'cancel_refund', 'update_refund_by_guid', 'cancel_refund_by_guid',
  'get_ledgers', 'get_ledger_entries',
  'submit_payout_recipients', 'get_payout_recipient', 'get_payout_recipients', 'update_payout_recipient',
  'request_payout_recipient_notification', 'delete_payout_recipient',
  'submit_payout', 'get_payout', 'get_payouts', 'request_payout_notification', 'cancel_payout', 'create_payout_group', 'cancel_payout_group',
  'create_bill', 'get_bill', 'get_bills', 'update_bill', 'deliver_bill',
  'get_settlements', 'get_settlement', 'get_settlement_reconciliation_report',
];

describe('the official Python SDK (bitpay 6.0.1), unmodified: every public method', function () {
  this.timeout(180_000);
  let emu: Emulator;
  let report: SdkReport;

  before(async function () {
    if (!PYTHON_SDK_PRESENT) {
      console.log('      (skipped: ../shared/sdks/python is not beside the project)');
      this.skip();
    }
    emu = await startTestEmulator();
    const merchantId = (await emu.sandbox.createMerchant('Python SDK')).id as string;
    report = await runPython('bitpay_client.py', [emu.url, merchantId]);
  });
  after(() => emu?.close());

  it('answers every method with a well-formed object', () => {
    expectEveryMethodAnswered(report, METHODS);
  });

  it('with the values of real state', () => {
    const value = (name: string) => report[name]?.value;
    expect(value('get_currency_pair_rate')).to.equal(65000);
    expect(value('create_invoice')).to.equal('new');
    expect(value('pay_invoice')).to.equal('complete');
    expect(value('update_invoice')).to.equal('python@example.com');
    expect(value('request_invoice_notifications')).to.equal(true);
    expect(value('cancel_invoice')).to.equal('expired');
    expect(value('update_refund')).to.equal('created');
    expect(value('request_refund_notification')).to.equal(true);
    expect(value('cancel_refund')).to.equal('canceled');
    expect(value('get_ledgers')).to.deep.equal([['USD', 99]]);
    expect(value('get_ledger_entries')).to.deep.equal([[1000, 100e8], [1023, -1e8]]);
    expect(value('submit_payout_recipients')).to.deep.equal(['invited']);
    expect(value('update_payout_recipient')).to.equal('Py2');
    expect(value('request_payout_recipient_notification')).to.equal(true);
    expect(value('submit_payout')).to.equal('new');
    expect(value('cancel_payout')).to.equal(true);
    expect(value('create_payout_group')).to.deep.equal([1, 0]);
    expect(value('cancel_payout_group')).to.deep.equal(['cancelled']);
    expect(value('delete_payout_recipient')).to.equal(true);
    expect(value('update_bill')).to.equal('Python');
    expect(value('deliver_bill')).to.equal(true);
    expect(value('get_settlements')).to.deep.equal(['processing']);
    expect(value('get_settlement')).to.equal(99);
    expect(value('get_settlement_reconciliation_report')).to.equal(3);
  });
});
