from django.urls import path

from beneficiaries.repayments import views

app_name = "repayments"

urlpatterns = [
    path("piani-di-rientro/", views.RepaymentPlanListView.as_view(), name="plan-list"),
    path("piani-di-rientro/<int:pk>/", views.RepaymentPlanDetailView.as_view(), name="plan-detail"),
    path(
        "piani-di-rientro/<int:pk>/pagamento/",
        views.RepaymentPaymentCreateView.as_view(),
        name="payment-create",
    ),
    path(
        "nuclei/<int:pk>/piano-di-rientro/nuovo/",
        views.RepaymentPlanCreateView.as_view(),
        name="plan-create",
    ),
]
