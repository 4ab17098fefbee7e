/* OutageDesk service worker: shows the notification of each update pushed to this browser and
   opens the incident page when it is clicked. The payload is JSON made by the server:
   {title, body, url, tag, lang, timestamp}. */
"use strict";

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

self.addEventListener("push", function (event) {
  var data = {};
  if (event.data) {
    try { data = event.data.json(); } catch (error) { data = { body: event.data.text() }; }
  }
  event.waitUntil(self.registration.showNotification(data.title || "OutageDesk", {
    body: data.body || "",
    tag: data.tag || undefined,
    renotify: Boolean(data.tag),
    lang: data.lang || "",
    timestamp: data.timestamp || Date.now(),
    data: { url: data.url || "/" }
  }));
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var target = "/";
  try {
    var url = new URL(event.notification.data.url, self.location.origin);
    // Only ever open this site's own pages from a notification.
    if (url.origin === self.location.origin) { target = url.href; }
  } catch (error) { target = "/"; }
  event.waitUntil(self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (windows) {
    for (var i = 0; i < windows.length; i += 1) {
      if (windows[i].url === target && "focus" in windows[i]) { return windows[i].focus(); }
    }
    return self.clients.openWindow(target);
  }));
});
