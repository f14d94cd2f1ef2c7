// Passkeys (docs/auth.md, "Passkeys"): a button with data-passkey="create" or "get" asks the server for the options of
// a WebAuthn ceremony (posting its form, which carries the antiforgery token), hands them to the browser's own API,
// and posts the answer back in the form's hidden fields. Nothing leaves for another site; no inline script.
(() => {
  const bytes = (text) => {
    const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
    return Uint8Array.from(atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4)), (c) => c.charCodeAt(0));
  };
  const text = (buffer) => {
    let binary = '';
    for (const b of new Uint8Array(buffer)) {
      binary += String.fromCharCode(b);
    }
    return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  };
  const answer = (credential) => {
    const r = credential.response;
    const response = { clientDataJSON: text(r.clientDataJSON) };
    if (r.attestationObject) {
      response.attestationObject = text(r.attestationObject);
      response.transports = r.getTransports ? r.getTransports() : [];
    } else {
      response.authenticatorData = text(r.authenticatorData);
      response.signature = text(r.signature);
      if (r.userHandle) {
        response.userHandle = text(r.userHandle);
      }
    }
    return {
      id: credential.id, rawId: text(credential.rawId), type: credential.type, response,
      clientExtensionResults: credential.getClientExtensionResults(),
    };
  };
  const fail = (button) => {
    const message = document.getElementById(button.dataset.passkeyMessage);
    if (message) {
      message.hidden = false;
      message.focus();
    }
  };
  document.addEventListener('click', async (event) => {
    const button = event.target.closest('button[data-passkey]');
    if (!button || !button.form) {
      return;
    }
    event.preventDefault();
    const form = button.form;
    if (!form.reportValidity()) {
      return;
    }
    button.disabled = true;
    try {
      const started = await fetch(button.dataset.passkeyOptions, { method: 'POST', body: new FormData(form), credentials: 'same-origin' });
      if (!started.ok) {
        throw new Error('options ' + started.status);
      }
      const { ceremony, options } = await started.json();
      options.challenge = bytes(options.challenge);
      let credential;
      if (button.dataset.passkey === 'create') {
        options.user.id = bytes(options.user.id);
        options.excludeCredentials = (options.excludeCredentials || []).map((c) => ({ ...c, id: bytes(c.id) }));
        credential = await navigator.credentials.create({ publicKey: options });
      } else {
        options.allowCredentials = (options.allowCredentials || []).map((c) => ({ ...c, id: bytes(c.id) }));
        credential = await navigator.credentials.get({ publicKey: options });
      }
      form.querySelector('input[data-passkey-ceremony]').value = ceremony;
      form.querySelector('input[data-passkey-credential]').value = JSON.stringify(answer(credential));
      form.requestSubmit();
    } catch {
      fail(button);
    } finally {
      button.disabled = false;
    }
  });
})();
