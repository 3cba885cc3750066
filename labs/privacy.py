"""The personal data of labs' models, for the register of processing and the DPIA
(partners/privacy.py explains the declaration). Most of labs holds no personal data
(territory, activities, budget lines); these models do."""

from partners.privacy import PROJECT_DOCUMENTS, Record

REGISTER = {
    "labs.StaffMember": Record(
        purpose="Rendicontazione del personale (costo orario FSE)",
        subjects="personale degli enti del partenariato",
        personal=(
            "first_name",
            "last_name",
            "job_title",
            "contract_type",
            "share_percent",
            "contract_annual_hours",
            "daily_hours",
        ),
        special=("annual_gross_cost",),
        seen_with="budget.view",
        special_seen_with="budget.view_pay",
        restriction="Il costo annuo solo al capofila e al coordinatore dell'ente del dipendente.",
        retention=PROJECT_DOCUMENTS,
    ),
    "labs.TimesheetEntry": Record(
        purpose="Rendicontazione del personale (costo orario FSE)",
        subjects="personale degli enti del partenariato",
        personal=("date", "hours"),
        seen_with="budget.view",
        retention=PROJECT_DOCUMENTS,
    ),
    "labs.SessionEvidence": Record(
        purpose="Prova delle attività svolte (fogli firma, fotografie)",
        subjects="partecipanti e operatori",
        personal=("file", "original_name"),
        not_personal=("kind", "content_type", "size_bytes", "uploaded_at"),
        seen_with="activities.view",
        restriction="Gli operatori partner solo per le attività del proprio ente.",
        retention=PROJECT_DOCUMENTS,
    ),
    "labs.BodyMember": Record(
        purpose="Governance del partenariato",
        subjects="componenti degli organi del partenariato",
        personal=("full_name", "position"),
        seen_with="governance.view",
        retention=PROJECT_DOCUMENTS,
    ),
}
