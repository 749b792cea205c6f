// Runs a (fixed) socket.io server module on loopback and tries clients against it; prints JSON.
//   node sio_harness.js <server-module> <attempts-json>
// The server module exports attach(httpServer) -> io. Each attempt is
//   {origin?, transport: "polling"|"websocket", token?, query?, client?}
// `client`: a project client module exporting connect(url, token) (its own options); otherwise a
// socket.io-client with the given transport, Origin header and `auth: {token}` / `query: {token}`.
// An attempt reports {connected, error, pingInterval, pingTimeout} (the timers the server announced).
const http = require("http");
const path = require("path");
const { io } = require("socket.io-client");

const TIMEOUT_MS = 5000;

function attempt(url, spec) {
  const headers = spec.origin ? { origin: spec.origin } : {};
  const socket = spec.client
    ? require(path.resolve(spec.client)).connect(url, spec.token, spec.origin)
    : io(url, {
        transports: [spec.transport],
        extraHeaders: headers,
        reconnection: false,
        forceNew: true,
        ...(spec.token !== undefined ? { auth: { token: spec.token } } : {}),
        ...(spec.query !== undefined ? { query: { token: spec.query } } : {}),
      });
  return new Promise((resolve) => {
    const done = (result) => {
      clearTimeout(timer);
      socket.close();
      resolve(result);
    };
    const timer = setTimeout(() => done({ connected: false, error: "timeout" }), TIMEOUT_MS);
    socket.on("connect_error", (err) => done({ connected: false, error: err.message }));
    socket.on("connect", () => {
      const engine = socket.io.engine;
      done({ connected: true, transport: engine.transport.name, pingInterval: engine._pingInterval ?? null,
             pingTimeout: engine._pingTimeout ?? null });
    });
  });
}

async function main(serverModule, attemptsJson) {
  const httpServer = http.createServer();
  const ioServer = require(path.resolve(serverModule))(httpServer);
  await new Promise((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${httpServer.address().port}`;
  const results = [];
  for (const spec of JSON.parse(attemptsJson)) results.push(await attempt(url, spec));
  ioServer.close();
  return { results, options: { pingInterval: ioServer.engine.opts.pingInterval, pingTimeout: ioServer.engine.opts.pingTimeout } };
}

main(...process.argv.slice(2)).then(
  (result) => {
    process.stdout.write(JSON.stringify(result) + "\n");
    process.exit(0);
  },
  (err) => {
    process.stderr.write(String(err && err.stack) + "\n");
    process.exit(2);
  },
);
