"""What a Comune needs to adopt the portal: publiccode.yml valid against the standard,
the EUPL-1.2 licence text, and the licence declared alike everywhere.

No validator of publiccode.yml can be installed here: the official one
(publiccode-parser-go) is a Go program published neither on PyPI nor on npm, and the
standard publishes no JSON Schema. So this module checks the file against the rules of
the standard (publiccode.yml 0.5, docs/standard/schema.core.rst and schema.it.rst of
publiccodeyml/publiccode.yml, with its vocabularies of categories and scopes), in strict
mode: an unknown key is an error, as for the official parser."""

import datetime as dt
import hashlib
import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]

VERSIONS = {"0", "0.2", "0.3", "0.4", "0.5"}
DEVELOPMENT_STATUS = {"concept", "development", "beta", "stable", "obsolete"}
SOFTWARE_TYPES = {
    "standalone/mobile",
    "standalone/iot",
    "standalone/desktop",
    "standalone/web",
    "standalone/backend",
    "standalone/other",
    "addon",
    "library",
    "configurationFiles",
}
MAINTENANCE_TYPES = {"internal", "contract", "community", "none"}
CATEGORIES = set(
    """accounting agile-project-management applicant-tracking application-development
    appointment-scheduling backup billing-and-invoicing blog budgeting business-intelligence
    business-process-management cad call-center-management cloud-management collaboration
    communications compliance-management contact-management content-management crm
    customer-service-and-support data-analytics data-collection data-visualization design
    design-system digital-asset-management digital-citizenship document-management
    donor-management e-commerce e-signature educational-content email-management
    email-marketing employee-management enterprise-project-management
    enterprise-social-networking erp event-management facility-management
    feedback-and-reviews-management financial-reporting fleet-management fundraising
    gamification geographic-information-systems grant-management graphic-design help-desk hr
    ide identity-management instant-messaging integrated-library-system inventory-management
    it-asset-management it-development it-management it-security it-service-management
    knowledge-management learning-management-system marketing mind-mapping mobile-marketing
    mobile-payment network-management office online-booking online-community payment-gateway
    payroll predictive-analysis procurement productivity-suite project-collaboration
    project-management property-management real-estate-management regulations-and-directives
    remote-support resource-management sales-management seo service-desk
    social-media-management survey talent-management task-management taxes-management
    test-management time-management time-tracking translation video-conferencing
    video-editing visitor-management voip warehouse-management web-collaboration
    web-conferencing website-builder whistleblowing workflow-management other""".split()
)
SCOPES = set(
    """agriculture culture defence education emergency-services employment energy
    environment finance-and-economic-development foreign-affairs government healthcare
    infrastructures justice local-authorities manufacturing research science-and-technology
    security society sport tourism transportation welfare""".split()
)
TOP_KEYS = {
    "publiccodeYmlVersion",
    "name",
    "applicationSuite",
    "url",
    "landingURL",
    "isBasedOn",
    "softwareVersion",
    "releaseDate",
    "logo",
    "platforms",
    "categories",
    "usedBy",
    "fundedBy",
    "roadmap",
    "developmentStatus",
    "softwareType",
    "organisation",
    "intendedAudience",
    "description",
    "legal",
    "maintenance",
    "localisation",
    "dependsOn",
    "IT",
    "it",
}
DESCRIPTION_KEYS = {
    "localisedName",
    "shortDescription",
    "longDescription",
    "documentation",
    "apiDocumentation",
    "features",
    "screenshots",
    "videos",
    "awards",
}
DEPENDENCY_KEYS = {"name", "versionMin", "versionMax", "version", "optional"}
IT_CONFORME = {"lineeGuidaDesign", "modelloInteroperabilita", "misureMinimeSicurezza", "gdpr"}
IT_PIATTAFORME = {"spid", "cie", "anpr", "pagopa", "io"}
URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$")
BCP47 = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def problems_of(pc: dict) -> list[str]:
    """Every rule of the standard the document breaks."""
    errors = []

    def need(condition, message):
        if not condition:
            errors.append(message)

    errors += [f"unknown key {k}" for k in set(pc) - TOP_KEYS]
    for key in (
        "publiccodeYmlVersion",
        "name",
        "url",
        "platforms",
        "developmentStatus",
        "softwareType",
        "description",
        "legal",
        "maintenance",
        "localisation",
    ):
        need(key in pc, f"{key} is mandatory")
    need(pc.get("publiccodeYmlVersion") in VERSIONS, "publiccodeYmlVersion: unknown version")
    need(isinstance(pc.get("name"), str) and pc.get("name"), "name: a string")
    for key in ("url", "landingURL", "roadmap"):
        if key in pc:
            need(URL.match(str(pc[key])), f"{key}: not a URL")
    if "releaseDate" in pc:
        try:
            dt.date.fromisoformat(pc["releaseDate"])
            need(re.fullmatch(r"\d{4}-\d{2}-\d{2}", pc["releaseDate"]), "releaseDate: YYYY-MM-DD")
        except (TypeError, ValueError):
            errors.append("releaseDate: YYYY-MM-DD, as a string")
    platforms = pc.get("platforms")
    need(isinstance(platforms, (list, str)) and platforms, "platforms: a list")
    errors += [f"categories: {c}" for c in set(pc.get("categories", [])) - CATEGORIES]
    need(pc.get("developmentStatus") in DEVELOPMENT_STATUS, "developmentStatus: not allowed")
    need(pc.get("softwareType") in SOFTWARE_TYPES, "softwareType: not allowed")

    audience = pc.get("intendedAudience", {})
    errors += [
        f"intendedAudience: {k}"
        for k in set(audience) - {"countries", "unsupportedCountries", "scope"}
    ]
    for key in ("countries", "unsupportedCountries"):
        errors += [f"{key}: {c}" for c in audience.get(key, []) if not re.fullmatch(r"[A-Z]{2}", c)]
    errors += [f"scope: {s}" for s in set(audience.get("scope", [])) - SCOPES]

    descriptions = pc.get("description", {})
    need(descriptions, "description: at least one language")
    for lang, text in descriptions.items():
        need(BCP47.match(lang), f"description: {lang} is not a BCP 47 tag")
        errors += [f"description/{lang}: {k}" for k in set(text) - DESCRIPTION_KEYS]
        need(text.get("shortDescription"), f"description/{lang}/shortDescription is mandatory")
        need(len(text.get("shortDescription", "")) <= 150, f"{lang}/shortDescription: > 150")
        long = text.get("longDescription")
        if long is not None:
            need(150 <= len(long) <= 10000, f"{lang}/longDescription: 150 to 10000 characters")
    need(any(t.get("longDescription") for t in descriptions.values()), "longDescription")
    need(any(t.get("features") for t in descriptions.values()), "features")

    legal = pc.get("legal", {})
    need(isinstance(legal.get("license"), str), "legal/license is mandatory")
    errors += [
        f"legal: {k}"
        for k in set(legal) - {"license", "mainCopyrightOwner", "repoOwner", "authorsFile"}
    ]

    maintenance = pc.get("maintenance", {})
    kind = maintenance.get("type")
    need(kind in MAINTENANCE_TYPES, "maintenance/type: not allowed")
    if kind == "contract":
        need(maintenance.get("contractors"), "maintenance/contractors: mandatory for contract")
    else:
        need("contractors" not in maintenance, "maintenance/contractors: only for contract")
    if kind in ("internal", "community"):
        need(maintenance.get("contacts"), f"maintenance/contacts: mandatory for {kind}")
    for contact in maintenance.get("contacts", []):
        need(contact.get("name"), "contact: name is mandatory")
        errors += [
            f"contact: {k}" for k in set(contact) - {"name", "email", "phone", "affiliation"}
        ]

    localisation = pc.get("localisation", {})
    need(isinstance(localisation.get("localisationReady"), bool), "localisationReady: a boolean")
    languages = localisation.get("availableLanguages") or []
    need(languages, "availableLanguages is mandatory")
    errors += [f"availableLanguages: {lang}" for lang in languages if not BCP47.match(lang)]

    for kind, dependencies in pc.get("dependsOn", {}).items():
        need(kind in {"open", "proprietary", "hardware"}, f"dependsOn: {kind}")
        for dependency in dependencies:
            need(dependency.get("name"), "dependency: name is mandatory")
            errors += [f"dependency: {k}" for k in set(dependency) - DEPENDENCY_KEYS]
            errors += [
                f"dependency {dependency.get('name')}: {k} must be a string"
                for k in ("version", "versionMin", "versionMax")
                if k in dependency and not isinstance(dependency[k], str)
            ]

    italy = pc.get("IT", pc.get("it"))
    if italy is not None:
        need(italy.get("countryExtensionVersion") == "1.0", "IT/countryExtensionVersion: 1.0")
        errors += [
            f"IT: {k}"
            for k in set(italy) - {"countryExtensionVersion", "conforme", "piattaforme", "riuso"}
        ]
        for section, keys in (("conforme", IT_CONFORME), ("piattaforme", IT_PIATTAFORME)):
            values = italy.get(section, {})
            errors += [f"IT/{section}: {k}" for k in set(values) - keys]
            errors += [
                f"IT/{section}/{k}: a boolean" for k, v in values.items() if not isinstance(v, bool)
            ]
    return errors


def publiccode() -> dict:
    return yaml.safe_load((ROOT / "publiccode.yml").read_text(encoding="utf-8"))


def test_publiccode_yml_is_valid():
    assert problems_of(publiccode()) == []


def test_the_rules_catch_what_the_standard_forbids():
    pc = publiccode()
    pc["developmentStatus"] = "alpha"
    pc["categories"] = ["social-housing"]
    pc["description"]["it"]["shortDescription"] = "x" * 151
    pc["maintenance"] = {"type": "internal"}
    pc["IT"]["conforme"]["accessibile"] = True
    pc["releaseDate"] = dt.date(2026, 12, 7)  # unquoted in YAML: a date, not the string
    pc["colour"] = "blu"
    assert sorted(problems_of(pc)) == sorted(
        [
            "developmentStatus: not allowed",
            "categories: social-housing",
            "it/shortDescription: > 150",
            "maintenance/contacts: mandatory for internal",
            "IT/conforme: accessibile",
            "releaseDate: YYYY-MM-DD, as a string",
            "unknown key colour",
        ]
    )


def test_publiccode_describes_this_project():
    pc = publiccode()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert pc["softwareVersion"] == project["version"]
    assert pc["legal"]["license"] == project["license"] == "EUPL-1.2"
    assert {"it", "en"} <= set(pc["localisation"]["availableLanguages"])
    assert pc["platforms"] == ["web"]
    assert {d["name"] for d in pc["dependsOn"]["open"]} >= {"PostgreSQL"}


def test_license_is_the_official_eupl_text():
    """LICENSE is the EUPL-1.2 text as the SPDX licence list ships it (npm
    spdx-license-list 6.12.0, licenses/EUPL-1.2.json, licenseText), unchanged."""
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith(
        "EUROPEAN UNION PUBLIC LICENCE v. 1.2\nEUPL © the European Union 2007, 2016"
    )
    assert hashlib.sha256(text.encode()).hexdigest() == (
        "57fb42fbcd0b037ce528ed8f72f1ec095d67bc6825ecf1448ff39be1fe68a4b4"
    )
