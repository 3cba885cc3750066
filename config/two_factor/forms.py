from django import forms
from django.utils.translation import gettext_lazy as _


def _normalise(value: str) -> str:
    return "".join(value.split()).replace("-", "").lower()


class CodeForm(forms.Form):
    """The six-digit code of the authenticator app, or one recovery code."""

    token = forms.CharField(
        label=_("Codice"),
        max_length=20,
        help_text=_(
            "Il codice di 6 cifre mostrato dall'app di autenticazione, oppure uno dei "
            "codici di recupero."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
        error_messages={"required": _("Scrivi il codice.")},
    )

    def clean_token(self) -> str:
        token = _normalise(self.cleaned_data["token"])
        if "\x00" in token or not token.isascii() or not token.isalnum():
            raise forms.ValidationError(_("Il codice contiene solo cifre e lettere."))
        return token


class EnrolForm(forms.Form):
    """The first code shown by the app, which proves the QR code was read."""

    token = forms.CharField(
        label=_("Codice di 6 cifre"),
        max_length=10,
        help_text=_("Il codice che l'app mostra ora per Quartieri."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        error_messages={"required": _("Scrivi il codice.")},
    )

    def clean_token(self) -> str:
        token = _normalise(self.cleaned_data["token"])
        if len(token) != 6 or not token.isascii() or not token.isdigit():
            raise forms.ValidationError(_("Il codice è di 6 cifre."))
        return token
