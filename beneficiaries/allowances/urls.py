from django.urls import path

from beneficiaries.allowances import views

app_name = "allowances"

urlpatterns = [
    path("indennita/", views.AllowanceListView.as_view(), name="allowance-list"),
    path(
        "indennita/<int:pk>/pagamento/",
        views.AllowancePaymentCreateView.as_view(),
        name="allowance-payment",
    ),
]
