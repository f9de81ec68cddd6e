import Koa from 'koa';

/** The floor: a bare Koa server answering a fixed JSON body, to compare the emulator against. */
const body = JSON.stringify({ facade: 'pos/invoice', data: { id: 'G3viJEJgE8Jk2oekSdgT2A', status: 'new', price: 10, currency: 'USD' } });
const app = new Koa();
app.use((ctx) => {
  ctx.type = 'application/json';
  ctx.body = body;
});
app.listen(Number(process.env.PORT), '127.0.0.1');
