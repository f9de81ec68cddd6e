import Router from '@koa/router';
import type { AppState } from '../context.js';

/**
 * The modal checkout script that BitPay's plugins load (WooCommerce: bitpay.min.js, then
 * `bitpay.enableTestMode(); bitpay.showInvoice(id)`). It shows the emulator's checkout page in
 * an overlay iframe; the page posts `{status, invoiceId}` messages to the shop's window.
 */
const SCRIPT = `(function (global) {
  'use strict';
  var current = document.currentScript;
  var origin = current && current.src ? new URL(current.src).origin : window.location.origin;
  var enterHandlers = [];
  var leaveHandlers = [];
  var overlay = null;

  function call(handlers) { handlers.slice().forEach(function (handler) { try { handler(); } catch (e) { setTimeout(function () { throw e; }); } }); }

  function hideFrame() {
    if (!overlay) return;
    call(leaveHandlers);
    overlay.parentNode.removeChild(overlay);
    overlay = null;
  }

  function showFrame(url) {
    if (overlay) hideFrame();
    call(enterHandlers);
    overlay = document.createElement('div');
    overlay.id = 'bitpay-emulator-modal';
    overlay.setAttribute('role', 'dialog');
    overlay.style.cssText = 'position:fixed;inset:0;z-index:2147483647;background:rgba(11,31,58,.55);display:flex;align-items:center;justify-content:center';
    var box = document.createElement('div');
    box.style.cssText = 'position:relative;width:min(440px,100vw);height:min(720px,100vh);background:#f3f5f9;border-radius:12px;overflow:hidden;box-shadow:0 12px 40px rgba(0,0,0,.35)';
    var close = document.createElement('button');
    close.type = 'button';
    close.setAttribute('aria-label', 'Close');
    close.textContent = '\\u00d7';
    close.style.cssText = 'position:absolute;top:6px;right:8px;z-index:1;border:0;background:transparent;font:28px/1 sans-serif;cursor:pointer;color:#1c2333';
    close.onclick = hideFrame;
    var frame = document.createElement('iframe');
    frame.name = 'bitpay';
    frame.title = 'BitPay invoice';
    frame.src = url;
    frame.style.cssText = 'border:0;width:100%;height:100%';
    box.appendChild(close);
    box.appendChild(frame);
    overlay.appendChild(box);
    document.body.appendChild(overlay);
  }

  global.bitpay = {
    /** The emulator is always the test environment; kept for the plugins that call it. */
    enableTestMode: function () {},
    showInvoice: function (invoiceId) { showFrame(origin + '/invoice?id=' + encodeURIComponent(invoiceId) + '&view=modal'); },
    showFrame: showFrame,
    hideFrame: hideFrame,
    onModalWillEnter: function (handler) { enterHandlers.push(handler); },
    onModalWillLeave: function (handler) { leaveHandlers.push(handler); }
  };
})(window);
`;

export function modalScriptRoutes(): Router<AppState> {
  const router = new Router<AppState>();
  for (const path of ['/bitpay.js', '/bitpay.min.js']) {
    router.get(path, (ctx) => {
      ctx.type = 'application/javascript';
      ctx.set('Cache-Control', 'no-cache');
      ctx.body = SCRIPT;
    });
  }
  return router;
}
