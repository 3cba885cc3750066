"""Money pages, under /progetti/<project>/."""

from django.urls import path

from labs.budget import views

app_name = "budget"

urlpatterns = [
    path("budget/", views.BudgetOverviewView.as_view(), name="budget"),
    path("budget/budget.xlsx", views.BudgetExportView.as_view(), name="budget-export"),
    path("budget/voci/nuova/", views.BudgetLineFormView.as_view(), name="budget-line-create"),
    path(
        "budget/voci/<int:pk>/modifica/",
        views.BudgetLineFormView.as_view(),
        name="budget-line-edit",
    ),
    path("spese/", views.ExpenseListView.as_view(), name="expense-list"),
    path("spese/nuova/", views.ExpenseFormView.as_view(), name="expense-create"),
    path("spese/<int:pk>/modifica/", views.ExpenseFormView.as_view(), name="expense-edit"),
    path("spese/<int:pk>/presenta/", views.ExpenseSubmitView.as_view(), name="expense-submit"),
    path("spese/<int:pk>/esamina/", views.ExpenseReviewView.as_view(), name="expense-review"),
    path("spese/<int:pk>/documento/", views.ExpenseDocumentView.as_view(), name="expense-document"),
    path("personale/", views.StaffListView.as_view(), name="staff-list"),
    path("personale/nuovo/", views.StaffFormView.as_view(), name="staff-create"),
    path("personale/<int:pk>/modifica/", views.StaffFormView.as_view(), name="staff-edit"),
    path(
        "personale/<int:pk>/ore/<int:year>/<int:month>/",
        views.TimesheetView.as_view(),
        name="timesheet",
    ),
    path(
        "personale/<int:pk>/ore/<int:year>/<int:month>/foglio.pdf",
        views.TimesheetPdfView.as_view(),
        name="timesheet-pdf",
    ),
]
