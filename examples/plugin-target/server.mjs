// The system under test of this example: a counter service, one process per
// node. The first node keeps the counters; the others forward every request
// to it. (A single copy is linearizable: faultline should find nothing.)
//
//   node server.mjs LISTEN_ADDRESS:PORT HOME_ADDRESS:PORT
//
//   GET  /counter/<key>   {"value": n}
//   POST /incr/<key>      {"delta": d}  ->  200, or 503 when the home node cannot be reached
//   GET  /health          200
import http from 'node:http';

const [listen, home] = process.argv.slice(2);
const [host, port] = listen.split(':');
const isHome = listen === home;
const counters = new Map();

function reply(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function forward(req, res, body) {
  try {
    const answer = await fetch(`http://${home}${req.url}`, {
      method: req.method,
      body: req.method === 'POST' ? body : undefined,
      signal: AbortSignal.timeout(1000),
    });
    reply(res, answer.status, await answer.json());
  } catch (err) {
    // Refused: the home node never saw it. Anything else: it may have.
    const refused = err?.cause?.code === 'ECONNREFUSED';
    reply(res, refused ? 503 : 504, { error: `home node: ${err?.cause?.code ?? err.message}` });
  }
}

http
  .createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    if (req.url === '/health') return reply(res, 200, { ok: true });
    if (!isHome) return forward(req, res, body);
    const [, what, key] = req.url.split('/');
    if (req.method === 'GET' && what === 'counter') return reply(res, 200, { value: counters.get(key) ?? 0 });
    if (req.method === 'POST' && what === 'incr') {
      counters.set(key, (counters.get(key) ?? 0) + JSON.parse(body).delta);
      return reply(res, 200, { ok: true });
    }
    reply(res, 404, { error: 'no such path' });
  })
  .listen(Number(port), host, () => console.log(`counter on ${listen}, home ${home}`));
