"""Citizenship was free text cut to two characters by the browser ("italiana" -> "it").

Map what is stored to an ISO 3166 code:
- a valid code in capitals (the import, the demo data and people who typed a code) stays;
- text in lower or mixed case is the start of a word typed in Italian: the two letters that
  begin one nationality only are mapped to it ("eg" egiziana -> EG, "uc" ucraina -> UA);
  letters that begin several ("ma" marocchina / macedone / maliana, "ru" rumena / russa,
  "se" senegalese / serba, "al" albanese / algerina, "fi" filippina / finlandese, "ci"
  cinese / cilena, "tu" tunisina / turca) are left empty, shown as "(non indicata)", to be checked,
  rather than guessed;
- anything else is emptied too.
The history tables keep what was stored then.
"""

from django.db import migrations

# Lower-case starts of Italian nationality adjectives that name one country only.
TYPED_START = {
    "it": "IT",  # italiana
    "eg": "EG",  # egiziana
    "ro": "RO",  # romena
    "uc": "UA",  # ucraina
    "pe": "PE",  # peruviana
    "ec": "EC",  # ecuadoriana
    "gh": "GH",  # ghanese
    "sr": "LK",  # srilankese
    "er": "ER",  # eritrea
    "et": "ET",  # etiope
    "ke": "KE",  # keniota
    "so": "SO",  # somala
    "ug": "UG",  # ugandese
    "vi": "VN",  # vietnamita
    "cu": "CU",  # cubana
    "cr": "HR",  # croata
    "ge": "GE",  # georgiana
    "un": "HU",  # ungherese
    "ol": "NL",  # olandese
    "fr": "FR",  # francese
    "sp": "ES",  # spagnola
    "te": "DE",  # tedesca
}


def to_iso(apps, schema_editor):
    from django_countries import countries

    Person = apps.get_model("beneficiaries", "Person")
    values = Person.objects.values_list("citizenship", flat=True).distinct()
    for old in list(values):
        raw = (old or "").strip()
        if raw.isupper() and raw in countries:
            new = raw
        else:
            new = TYPED_START.get(raw.lower(), "")
        if new != old:
            Person.objects.filter(citizenship=old).update(citizenship=new)


class Migration(migrations.Migration):
    dependencies = [("beneficiaries", "0007_person_citizenship_country_birth_date")]

    operations = [migrations.RunPython(to_iso, migrations.RunPython.noop)]
