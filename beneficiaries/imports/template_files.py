"""The downloadable template of each import: an XLSX with the Italian column headers
and a sheet explaining every column."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font


def template_workbook(importer_class) -> bytes:
    book = Workbook()
    data = book.active
    data.title = _("Dati")
    data.append([str(c.header) for c in importer_class.columns])
    for cell in data[1]:
        cell.font = Font(bold=True)
    data.freeze_panes = "A2"
    for index, column in enumerate(importer_class.columns, start=1):
        data.column_dimensions[data.cell(1, index).column_letter].width = max(
            14, len(str(column.header)) + 2
        )
    guide = book.create_sheet(_("Istruzioni"))
    guide.append([str(importer_class.title)])
    guide["A1"].font = Font(bold=True, size=13)
    guide.append([str(importer_class.sheet_help)])
    guide.append(
        [
            _(
                "Compilare il foglio «Dati» a partire dalla seconda riga, senza formule. "
                "Si può salvare anche come CSV (UTF-8 o Windows-1252, separato da punto e "
                "virgola o virgola). Date nel formato gg/mm/aaaa."
            )
        ]
    )
    guide.append([])
    guide.append([_("Colonna"), _("Obbligatoria"), _("Spiegazione")])
    for cell in guide[5]:
        cell.font = Font(bold=True)
    for column in importer_class.columns:
        guide.append(
            [str(column.header), _("sì") if column.required else _("no"), str(column.help)]
        )
    guide.column_dimensions["A"].width = 38
    guide.column_dimensions["B"].width = 14
    guide.column_dimensions["C"].width = 90
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
