from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views
from accounts.forms import LoginForm

urlpatterns = [
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", views.account, name="account"),
    path("account/language/", views.account_language, name="account_language"),
    path("account/tokens/<uuid:uid>/revoke/", views.token_revoke, name="account_token_revoke"),
    path("account/logout-everywhere/", views.log_out_everywhere, name="account_logout_everywhere"),
    path("accounts/password_change/", views.PasswordChangeView.as_view(), name="password_change"),
    path("users/<int:pk>/revoke-tokens/", views.user_tokens_revoke, name="user_tokens_revoke"),
]
