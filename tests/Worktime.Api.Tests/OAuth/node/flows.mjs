// The client side of OpenIdClientTests (docs/auth.md): openid-client v6 exactly as an app uses it. One phase per run,
// its result printed as one line "RESULT <json>":
//   node flows.mjs code-start   BASE CLIENT REDIRECT_URI       -> { url, verifier, state }
//   node flows.mjs code-finish  BASE CLIENT REDIRECT_URI VERIFIER STATE CALLBACK_URL -> { username, renewed, keys }
//   node flows.mjs device-start BASE CLIENT                    -> the device authorization response
//   node flows.mjs device-poll  BASE CLIENT RESPONSE_JSON      -> { username, keys } once the person decided
import * as client from 'openid-client';

const [phase, base, clientId, ...rest] = process.argv.slice(2);
// RFC 8414 discovery; the library checks that the metadata's issuer equals the URL asked.
const config = await client.discovery(new URL(base), clientId, undefined, client.None(), {
  algorithm: 'oauth2',
  execute: [client.allowInsecureRequests], // the test server speaks plain http on the loopback interface
});
const out = (value) => console.log('RESULT ' + JSON.stringify(value));

async function me(tokens) {
  const answer = await client.fetchProtectedResource(config, tokens.access_token, new URL('/me', base), 'GET');
  return (await answer.json()).username;
}

if (phase === 'code-start') {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: rest[0], scope: 'api', state,
    code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
  });
  out({ url: url.href, verifier, state });
} else if (phase === 'code-finish') {
  const [redirectUri, verifier, state, callback] = rest;
  // Checks state and RFC 9207's iss on the callback, then redeems the code with the verifier.
  const tokens = await client.authorizationCodeGrant(config, new URL(callback), { pkceCodeVerifier: verifier, expectedState: state },
    { redirect_uri: redirectUri });
  const renewed = await client.refreshTokenGrant(config, tokens.refresh_token);
  out({ username: await me(tokens), renewed: await me(renewed), keys: Object.keys(tokens).sort() });
} else if (phase === 'device-start') {
  out(await client.initiateDeviceAuthorization(config, { scope: 'api' }));
} else if (phase === 'device-poll') {
  // Polls at the answer's interval (and longer after slow_down) until the person allows or denies.
  const tokens = await client.pollDeviceAuthorizationGrant(config, JSON.parse(rest[0]));
  out({ username: await me(tokens), keys: Object.keys(tokens).sort() });
} else {
  throw new Error('unknown phase ' + phase);
}
