/* Web Push on the subscribe page: register the service worker, ask the browser for a push
   subscription with the site's VAPID public key, and hand it to the server. All texts come
   from data-msg-* attributes, translated by the template. */
(function () {
  "use strict";
  var section = document.getElementById("push");
  if (!section || !("serviceWorker" in navigator) || !("PushManager" in window) || !window.Notification) {
    return;
  }
  section.hidden = false;
  var status = section.querySelector("[data-push-status]");
  var data = section.dataset;

  function say(message, isError) {
    status.textContent = message;
    status.classList.toggle("is-error", Boolean(isError));
  }

  function keyBytes(base64url) {
    var padded = (base64url + "===".slice((base64url.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = window.atob(padded);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i += 1) { bytes[i] = raw.charCodeAt(i); }
    return bytes;
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body)
    }).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    });
  }

  function registration() {
    return navigator.serviceWorker.register(data.swUrl).then(function () {
      return navigator.serviceWorker.ready;
    });
  }

  section.querySelector("[data-push-subscribe]").addEventListener("click", function () {
    say(data.msgWorking);
    Notification.requestPermission().then(function (permission) {
      if (permission !== "granted") { throw new Error("denied"); }
      return registration();
    }).then(function (reg) {
      return reg.pushManager.getSubscription().then(function (existing) {
        return existing || reg.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: keyBytes(data.vapidKey)
        });
      });
    }).then(function (subscription) {
      return post(data.subscribeUrl, {
        subscription: subscription.toJSON(),
        service: data.service,
        incident: data.incident,
        language: data.language
      });
    }).then(function () {
      say(data.msgSubscribed);
    }).catch(function (error) {
      say(error && error.message === "denied" ? data.msgDenied : data.msgFailed, true);
    });
  });

  section.querySelector("[data-push-unsubscribe]").addEventListener("click", function () {
    say(data.msgWorking);
    navigator.serviceWorker.getRegistration(data.swUrl).then(function (reg) {
      return reg ? reg.pushManager.getSubscription() : null;
    }).then(function (subscription) {
      if (!subscription) { return null; }
      var endpoint = subscription.endpoint;
      return subscription.unsubscribe().then(function () {
        return post(data.removeUrl, { endpoint: endpoint });
      });
    }).then(function () {
      say(data.msgUnsubscribed);
    }).catch(function () {
      say(data.msgFailed, true);
    });
  });
})();
