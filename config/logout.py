"""Logout that also empties the device's copy of personal data.

The offline register (docs/offline.md) keeps the week's registers, names included, in
IndexedDB and the app's page in the service worker's cache. The answer to the logout
carries ``Clear-Site-Data: "cache", "storage"``: the browser deletes the site's caches,
IndexedDB, local storage and service worker before showing the next page (Chromium,
Firefox and Safari honour it over HTTPS and on localhost). static/js/offline/store.js
also deletes the database when the logout form is sent, for browsers that do not.
"""

from django.contrib.auth import views as auth_views

CLEAR_SITE_DATA = '"cache", "storage"'


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response
