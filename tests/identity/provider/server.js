// A real OpenID Connect provider for the tests: panva's certified oidc-provider, issuing JWT access tokens for the
// resource `pathway` by the client-credentials grant. Test-only: in-memory, plain HTTP on 127.0.0.1.
//
//   node server.js <port>            (or IDP_PORT=<port>)
//
// Environment (set by tests/identity/provider.py; nothing here is a real secret):
//   IDP_CLIENTS       JSON list of {"client_id", "client_secret", "roles": [...], "agency"}: one confidential client
//                     each; every token it obtains carries its `roles` and `agency` as claims.
//   IDP_ADMIN_SECRET  bearer secret for POST /test/rotate-keys.
//   IDP_EXIT_WITH_STDIN=1  exit when stdin closes (the process that started this one has gone).
//
// Issuer http://127.0.0.1:<port>; discovery at /.well-known/openid-configuration, keys at /jwks.
// Resource indicators (RFC 8707): `urn:pathway` (the default) gives audience "pathway"; `urn:elsewhere` gives
// audience "elsewhere", a token meant for another service. Test-only token-request parameters `ttl` and
// `not_before_in` (seconds) make tokens that expire soon or are not valid yet.
//
// POST /test/rotate-keys (Authorization: Bearer <IDP_ADMIN_SECRET>) generates a new RS256 key and makes it the
// signing key; the old keys stay in the JWKS unless the JSON body says {"keep_previous": false}. Answers
// {"kid": <new kid>, "kids": [<published kids>]}.

import { generateKeyPairSync, randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';

import Provider, { errors } from 'oidc-provider';

const port = Number(process.argv[2] ?? process.env.IDP_PORT);
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error('usage: node server.js <port>   (or IDP_PORT=<port>)');
  process.exit(2);
}
const issuer = `http://127.0.0.1:${port}`;

const clients = JSON.parse(process.env.IDP_CLIENTS ?? '[]');
if (!Array.isArray(clients) || !clients.length) {
  console.error('IDP_CLIENTS must be a JSON list of {client_id, client_secret, roles, agency}');
  process.exit(2);
}
const adminSecret = process.env.IDP_ADMIN_SECRET || randomBytes(32).toString('base64url');
const claimsOf = new Map(clients.map((c) => [c.client_id, { roles: [...c.roles], agency: c.agency }]));

const RESOURCES = {
  'urn:pathway': { audience: 'pathway', scope: 'pathway' },
  'urn:elsewhere': { audience: 'elsewhere', scope: 'pathway' },
};
const DEFAULT_RESOURCE = 'urn:pathway';
const DEFAULT_TTL = 10 * 60;

// A token request may carry test-only parameters (oidc-provider ignores unknown ones at the token endpoint):
// `ttl` (seconds, 1..600) shortens the token's life; `not_before_in` (seconds, 0..3600) puts its nbf in the future.
function testParameter(ctx, name) {
  const value = Number(ctx?.oidc?.body?.[name]);
  return Number.isInteger(value) && value >= 0 && value <= 3600 ? value : undefined;
}

let serial = 0;
function newSigningKey() {
  serial += 1;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = `pathway-test-${serial}-${randomBytes(4).toString('hex')}`;
  return { ...privateKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
}

// The first key is the one oidc-provider signs with; the rest are only published, so that tokens signed before a
// rotation still verify.
let keys = [newSigningKey()];

function makeProvider() {
  const provider = new Provider(issuer, {
    clients: clients.map(({ client_id, client_secret }) => ({
      client_id,
      client_secret,
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_basic',
      scope: 'pathway',
    })),
    clientAuthMethods: ['client_secret_basic', 'client_secret_post'],
    jwks: { keys },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    scopes: ['pathway'],
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: false },
      revocation: { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => DEFAULT_RESOURCE,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (ctx, resourceIndicator) => {
          const server = RESOURCES[resourceIndicator];
          if (!server) {
            throw new errors.InvalidTarget(`unknown resource ${resourceIndicator}`);
          }
          return {
            ...server,
            accessTokenFormat: 'jwt',
            accessTokenTTL: DEFAULT_TTL,
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
    extraTokenClaims: async (ctx, token) => {
      const claims = claimsOf.get(token.clientId);
      if (!claims) return undefined;
      const now = Math.floor(Date.now() / 1000);
      const notBeforeIn = testParameter(ctx, 'not_before_in');
      return { roles: claims.roles, agency: claims.agency, nbf: now + (notBeforeIn ?? 0) };
    },
    ttl: {
      ClientCredentials: (ctx, token) => {
        const ttl = token.resourceServer?.accessTokenTTL || DEFAULT_TTL;
        return Math.min(testParameter(ctx, 'ttl') || ttl, ttl);
      },
    },
    interactions: { url: () => '/interaction/unused' },
    renderError: async (ctx, out) => {
      ctx.type = 'json';
      ctx.body = out;
    },
  });
  provider.on('server_error', (ctx, err) => console.error('idp: server_error', err));
  return provider;
}

let handle = makeProvider().callback();

function isAdmin(req) {
  const given = Buffer.from(req.headers.authorization ?? '');
  const expected = Buffer.from(`Bearer ${adminSecret}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function readJson(req) {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => {
      try {
        resolve(body ? JSON.parse(body) : {});
      } catch (err) {
        reject(err);
      }
    });
    req.on('error', reject);
  });
}

function reply(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

async function rotateKeys(req, res) {
  if (!isAdmin(req)) {
    reply(res, 401, { error: 'unauthorized' });
    return;
  }
  let body;
  try {
    body = await readJson(req);
  } catch {
    reply(res, 400, { error: 'body must be JSON' });
    return;
  }
  const key = newSigningKey();
  keys = body.keep_previous === false ? [key] : [key, ...keys];
  // oidc-provider reads its keys once, when built: build a new one over the same clients and swap it in. Client
  // credentials leave no state a later request needs, so nothing is lost.
  handle = makeProvider().callback();
  reply(res, 200, { kid: key.kid, kids: keys.map((k) => k.kid) });
}

const server = http.createServer((req, res) => {
  if (req.url === '/test/rotate-keys' && req.method === 'POST') {
    rotateKeys(req, res).catch((err) => {
      console.error('idp: rotate-keys failed', err);
      reply(res, 500, { error: 'server_error' });
    });
    return;
  }
  handle(req, res);
});

server.on('error', (err) => {
  console.error(`idp: cannot listen on ${issuer}: ${err.message}`);
  process.exit(1);
});
server.listen(port, '127.0.0.1', () => {
  console.log(`idp: listening on ${issuer}`);
});

function shutDown() {
  server.close(() => process.exit(0));
  server.closeAllConnections?.();
  setTimeout(() => process.exit(0), 2000).unref();
}
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, shutDown);
// Started by the tests with a pipe on stdin: when the test process dies, the pipe closes and the provider goes too.
if (process.env.IDP_EXIT_WITH_STDIN === '1') {
  process.stdin.on('end', shutDown);
  process.stdin.on('error', shutDown);
  process.stdin.resume();
}
