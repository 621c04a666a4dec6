"""Who may see and decide what: the one module that holds the rule.

A manager sees the customers assigned to them (and the rows they wrote); a
regional manager sees every customer of their region; an admin sees all.
"Not yours" and "does not exist" both answer 404; seeing without the right to
change answers 403.

Two functions carry the rule: ``scope`` (the rows ``user`` may see) and
``supervises`` (admins, and the regional manager of a region). Every kind of
row declares once, as an ``Access``, which field leads to its customer or
region and which names its author; the apps' ``access`` modules are those
declarations and the few predicates built on them. Nothing else asks a user's
role: the role questions other modules need are the named functions at the
end of this module.

An admin may take every supervisor decision (complaints, reports, price
violations, unlicensed-operation reports, schedule and work-log comments,
downgrades of a regrading run): SPEC.md's "an admin sees all", and admins
stand in for an absent regional manager. Every decision's event row names who
decided.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import F, Q, Subquery
from django.http import Http404

# The role a user acts in; superusers act as admins.
from core.web import role_required
from crm.models import Customer, RegradingProposal, SalesImport, SalesRecord, User

MANAGER = "manager"
REGIONAL_MANAGER = "regional_manager"
ADMIN = "admin"
SERVICE_CENTRE = "service_centre"


def role_of(user):
    """``ADMIN``, ``REGIONAL_MANAGER``, ``MANAGER``, ``SERVICE_CENTRE`` or "" (no role)."""
    if not user.is_authenticated or not user.is_active:
        return ""
    if user.is_crm_admin:
        return ADMIN
    if user.is_regional_manager:
        return REGIONAL_MANAGER
    if user.is_manager:
        return MANAGER
    if user.is_service_centre:
        return SERVICE_CENTRE
    return ""


def supervises(user, *, region_id):
    """Admins, and the regional manager of ``region_id``: whoever decides for the region."""
    role = role_of(user)
    if role == ADMIN:
        return True
    return role == REGIONAL_MANAGER and region_id is not None and region_id == user.region_id


def supervised(user, queryset, *, region):
    """The rows of ``queryset`` whose region (the path ``region``) ``user`` supervises:
    ``supervises`` for a list."""
    role = role_of(user)
    if role == ADMIN:
        return queryset
    if role == REGIONAL_MANAGER and user.region_id is not None:
        return queryset.filter(**{region: user.region_id})
    return queryset.none()


def _path(obj, path):
    """Follow ``a__b__c`` through attributes (``""`` is ``obj`` itself)."""
    for name in filter(None, path.split("__")):
        obj = getattr(obj, name)
    return obj


def scope(
    user,
    queryset,
    *,
    customer="customer__",
    region=(),
    region_when=None,
    author=None,
    listing=True,
):
    """``queryset`` limited to the rows ``user`` may see.

    ``customer`` is the prefix that leads from a row to its customer (``""``
    for customers themselves, None for rows about no customer); ``region``
    names further region id fields a regional manager sees by (``region_when``
    narrows those); ``author`` the field of the user who wrote the row: they
    keep reading it after the customer has gone to someone else.

    ``listing=False`` for reading one row by its key: a manager's customer is
    then joined rather than their customers read first.
    """
    role = role_of(user)
    if role == ADMIN:
        return queryset
    if role == REGIONAL_MANAGER:
        wanted = Q(pk__in=[])
        if customer and author and listing:
            # "The region's rows or rows they wrote": joined to the customers,
            # the "or" defeats every index and the database reads the whole
            # table (a second per count of a million visits). Mostly, all
            # they wrote is about their region's customers, and the region
            # alone says it. If not, the region's customer ids are spelled
            # out, as for a manager: both sides of the "or" are then indexed
            # columns of the row's own table.
            outside = queryset.filter(**{author: user.pk}).exclude(
                **{f"{customer}region_id": user.region_id}
            )
            if outside.exists():
                customer_ids = list(
                    Customer.objects.filter(region_id=user.region_id).values_list("pk", flat=True)
                )
                wanted |= Q(**{f"{customer}id__in": customer_ids}) | Q(**{author: user.pk})
            else:
                wanted |= Q(**{f"{customer}region_id": user.region_id})
            author = None
        elif customer and listing:
            # The region's customers by their ids (an index-only scan): joined
            # on the region instead, the database read every customer of the
            # region from the table to find a few hundred rows about them.
            wanted |= Q(**{f"{customer}id__in": _region_customer_ids(user.region_id)})
        elif customer is not None:
            wanted |= Q(**{f"{customer}region_id": user.region_id})
        for path in region:
            if listing:
                wanted |= _in_region(queryset.model, path, user.region_id, region_when or {})
            else:
                wanted |= Q(**{path: user.region_id}, **(region_when or {}))
        if author:
            wanted |= Q(**{author: user.pk})
        return queryset.filter(wanted)
    if role == MANAGER:
        if customer is None:
            return queryset.filter(**{author: user.pk}) if author else queryset.none()
        if not author:
            return queryset.filter(**{f"{customer}manager_id": user.pk})
        if not listing or not customer:
            return queryset.filter(Q(**{f"{customer}manager_id": user.pk}) | Q(**{author: user.pk}))
        # "Their customers' rows or rows they wrote": with the customer ids
        # spelled out, both sides are indexed columns of the row's own table
        # and the database combines two index scans instead of joining every
        # row (a manager has about a hundred customers).
        customer_ids = list(
            Customer.objects.filter(manager_id=user.pk).values_list("pk", flat=True)
        )
        theirs = Q(**{f"{customer}id__in": customer_ids})
        if "__" in author:
            # The writer is a related row's (a suggestion's visit's manager):
            # that side of the "or" would be a join. Mostly, all they wrote is
            # about their customers, and their customers alone say it.
            outside = queryset.filter(**{author: user.pk}).exclude(theirs)
            if not outside.exists():
                return queryset.filter(theirs)
        return queryset.filter(theirs | Q(**{author: user.pk}))
    if role == SERVICE_CENTRE:
        # The service centre reads every customer's name and contacts, and no
        # row about a customer (sales, visits, complaints, reports): those are
        # other roles' records. Its own rows (satisfaction) declare their scope.
        return queryset if customer == "" else queryset.none()
    return queryset.none()


def _region_customer_ids(region_id):
    """The ids of a region's customers, as a subquery (a region has thousands)."""
    return Subquery(Customer.objects.filter(region_id=region_id).order_by().values("pk"))


def _in_region(model, path, region_id, when):
    """``path`` (``region_id`` or ``manager__region_id``) equal to ``region_id``,
    and the conditions ``when``.

    A path through a relation is answered with the related rows' ids (a
    region's managers are a few dozen), the conditions on the same relation
    among them: put in an "or" beside the row's own columns, a join would make
    the database read the whole table.
    """
    hop, _, rest = path.partition("__")
    if rest != "region_id":
        return Q(**{path: region_id}, **when)
    field = model._meta.get_field(hop)
    prefix = f"{hop}__"
    related = {key[len(prefix) :]: value for key, value in when.items() if key.startswith(prefix)}
    own = {key: value for key, value in when.items() if not key.startswith(prefix)}
    ids = list(
        field.related_model._default_manager.filter(region_id=region_id, **related).values_list(
            "pk", flat=True
        )
    )
    return Q(**{f"{field.attname}__in": ids}, **own)


def is_current_manager(user, customer):
    """Whether ``user`` manages ``customer`` now: whoever writes rows about the customer."""
    return role_of(user) == MANAGER and customer.manager_id == user.pk


# Who changes a row, by name: the declarations pick one.
AUTHOR = "author"  # the user who wrote it
CUSTOMER_MANAGER = "customer_manager"  # the customer's current manager
AUTHOR_AND_CUSTOMER_MANAGER = "author_and_customer_manager"  # both at once
SUPERVISOR = "supervisor"  # whoever supervises the row's region


@dataclass(frozen=True)
class Access:
    """How one kind of row is seen, changed and decided.

    ``customer``/``region``/``author`` feed ``scope``; ``changed_by`` names
    who changes a row (one of the names above; None: nobody through this
    record); ``decided_in`` is the path to
    the region whose supervisor decides (None: nobody decides).
    """

    model: type
    customer: str | None = "customer__"
    region: tuple = ()
    region_when: dict = field(default_factory=dict)
    author: str | None = None
    changed_by: str | None = CUSTOMER_MANAGER
    decided_in: str | None = None

    def scope(self, user, queryset=None, *, listing=True):
        queryset = self.model._default_manager.all() if queryset is None else queryset
        return scope(
            user,
            queryset,
            customer=self.customer,
            region=self.region,
            region_when=self.region_when or None,
            author=self.author,
            listing=listing,
        )

    def customer_of(self, obj):
        return _path(obj, self.customer or "")

    def may_change(self, user, obj):
        if self.changed_by is None or not user.is_active:
            return False
        wrote = self.author is not None and _path(obj, self.author) == user.pk
        if self.changed_by == AUTHOR:
            return wrote
        if self.changed_by == SUPERVISOR:
            return self.may_decide(user, obj)
        current = is_current_manager(user, self.customer_of(obj))
        if self.changed_by == AUTHOR_AND_CUSTOMER_MANAGER:
            return wrote and current
        return current

    def may_decide(self, user, obj):
        if self.decided_in is None or not user.is_active:
            return False
        return supervises(user, region_id=_path(obj, self.decided_in))

    def decidable(self, user, queryset=None):
        """The rows ``user`` decides now (``may_decide`` for a list): what their work
        queue counts as waiting for them."""
        queryset = self.model._default_manager.all() if queryset is None else queryset
        if self.decided_in is None or not user.is_active:
            return queryset.none()
        return supervised(user, queryset, region=self.decided_in)

    def get(self, user, pk, *, queryset=None, change=False, decide=False):
        """The row ``pk`` if ``user`` may see it, else 404; 403 if they may not act on it."""
        try:
            obj = self.scope(user, queryset, listing=False).get(pk=pk)
        except (self.model.DoesNotExist, ValueError, TypeError):
            raise Http404(f"No such {self.model._meta.model_name}") from None
        if change and not self.may_change(user, obj):
            raise PermissionDenied
        if decide and not self.may_decide(user, obj):
            raise PermissionDenied
        return obj


class CustomerAccess(Access):
    """A customer is changed by its current manager or by its region's supervisor."""

    def may_change(self, user, obj):
        return is_current_manager(user, obj) or self.may_decide(user, obj)


CUSTOMERS = CustomerAccess(Customer, customer="", decided_in="region_id")
SALES = Access(SalesRecord, customer="customer__")
# Users are changed by admins (crm.user_views, the API); supervising one is their region's.
USERS = Access(
    User,
    customer=None,
    region=("region_id",),
    author="pk",
    changed_by=None,
    decided_in="region_id",
)
# A regional manager sees their own imports and those of their region's managers.
IMPORTS = Access(
    SalesImport,
    customer=None,
    region=("imported_by__region_id",),
    region_when={"imported_by__role": User.Role.MANAGER},
    author="imported_by_id",
    changed_by=None,  # an import is kept as it was made
)


def customer_scope(user, queryset=None, *, prefix=""):
    """Restrict a customer queryset (or, with ``prefix="customer__"``, rows about a
    customer) to what ``user`` may see. An admin's queryset is left whole."""
    queryset = Customer.objects.all() if queryset is None else queryset
    return scope(user, queryset, customer=prefix)


def user_scope(user, queryset=None):
    """The users (managers) that ``user`` may see or pick in forms."""
    return USERS.scope(user, queryset)


def manager_filter_choices(user, data):
    """The managers a list's "manager" filter offers ``user``, given the query ``data``.

    A regional manager picks among their region's managers. An admin has 500
    managers to pick from: the list offers those of the region chosen in the
    same filter (plus the manager already chosen, so a link to one manager's
    rows keeps working), and none until a region is chosen.
    """
    managers = user_scope(user, User.objects.filter(role=User.Role.MANAGER))
    if not sees_all(user):
        return managers.order_by("username")
    wanted = Q(pk__in=[])
    region = (data or {}).get("region")
    if region:
        wanted |= Q(region__code=region)
    manager = (data or {}).get("manager")
    if manager and str(manager).isdigit():
        wanted |= Q(pk=manager)
    return managers.filter(wanted).order_by("username")


def can_create_customer(user):
    return role_of(user) in (ADMIN, REGIONAL_MANAGER)


def can_edit_customer(user, customer):
    return CUSTOMERS.may_change(user, customer)


def can_supervise_customer(user, customer):
    """Reassign, regrade and change the network status: admins and the region's manager."""
    return CUSTOMERS.may_decide(user, customer)


def customer_for_user(user, pk, *, queryset=None, change=False, supervise=False):
    """The customer ``pk`` if ``user`` may see it, else 404; 403 if they may not change it."""
    try:
        customer = customer_scope(user, queryset).get(pk=pk)
    except (Customer.DoesNotExist, ValueError, TypeError):
        raise Http404("No such customer") from None
    if change and not can_edit_customer(user, customer):
        raise PermissionDenied
    if supervise and not can_supervise_customer(user, customer):
        raise PermissionDenied
    return customer


# Regrading: an admin (or the regional manager for downgrades) confirms ----------------

# A downgrade moves the customer to a grade of higher rank (grade 1 is the best),
# as ``RegradingProposal.is_downgrade`` says for one proposal.
DOWNGRADE = Q(old_grade__isnull=False, new_grade__rank__gt=F("old_grade__rank"))


def may_see_regrading(user):
    return is_supervisor(user)


def may_start_regrading(user):
    """Runs cover the whole archive: only an admin starts or discards one."""
    return sees_all(user)


def regrading_scope(user, queryset=None):
    """The proposals ``user`` sees: an admin all, a regional manager their region's."""
    queryset = RegradingProposal.objects.all() if queryset is None else queryset
    if not may_see_regrading(user):
        return queryset.none()
    return scope(user, queryset, customer="customer__")


def regrading_applicable(user, queryset=None):
    """The proposals ``user`` may apply: an admin any, a regional manager the
    downgrades of their region's customers (upgrades wait for an admin)."""
    queryset = regrading_scope(user, queryset)
    return queryset if sees_all(user) else queryset.filter(DOWNGRADE)


def may_apply_regrading(user, proposal):
    if sees_all(user):
        return True
    return proposal.is_downgrade and supervises(user, region_id=proposal.customer.region_id)


def may_close_regrading(user, run):
    """Apply the whole run (closing it) or discard it: the admin's, like starting one."""
    return may_start_regrading(user)


def may_confirm_region_downgrades(user, run):
    """A regional manager with downgrades of their region in ``run``; the run stays open."""
    return (
        not sees_all(user)
        and user.is_active
        and regrading_applicable(user, run.proposals.all()).exists()
    )


# The role questions the rest of the code asks, by what they mean ------------------------


def sees_all(user):
    """An admin: sees every region, picks a region in filters, runs the admin pages."""
    return role_of(user) == ADMIN


def leads_region(user):
    """A regional manager: the region's pages are theirs, their own region is implied."""
    return role_of(user) == REGIONAL_MANAGER


def is_supervisor(user):
    """A regional manager or an admin: reviews, decides and sees other people's rows."""
    return role_of(user) in (ADMIN, REGIONAL_MANAGER)


def works_customers(user):
    """A manager: visits customers, writes records and sees only their own rows.

    Their lists are a small part of the table: found and sorted rather than
    walked along an index (``core.ordering``).
    """
    return role_of(user) == MANAGER


def works_in_region(user):
    """A manager or a regional manager with a region: reports unlicensed operations."""
    return role_of(user) in (MANAGER, REGIONAL_MANAGER) and bool(user.region_id)


def by_role(user, *, admin, regional_manager, manager, other=None):
    """The one of the values meant for ``user``'s role: a heading, a default page."""
    values = {ADMIN: admin, REGIONAL_MANAGER: regional_manager, MANAGER: manager}
    return values.get(role_of(user), other)


def serves_customers(user):
    """The customer service centre (客户服务中心): surveys every region's customers
    for satisfaction; reads their names and contacts, never their sales figures."""
    return role_of(user) == SERVICE_CENTRE


def sees_sales(user):
    """Sales figures are for the roles that work with them, not the service centre."""
    return role_of(user) in (ADMIN, REGIONAL_MANAGER, MANAGER)


# The routes the service centre may open (pages and API), by their start; every
# other page or endpoint is another role's and answers 403 whatever the object.
SERVICE_CENTRE_ROUTES = (
    "customers/",
    "satisfaction/",
    # Exports: each list's only for those who may open its page (crm.exports).
    "exports/",
    "notifications/",
    "account/",
    "accounts/",
    "i18n/",
    "healthz/",
    "api/customers/",
    "api/satisfaction/",
    "api/auth/",
    "api/me/",
    # Reference data everyone reads (grades, regions, the working calendar).
    "api/grades/",
    "api/regions/",
    "api/calendar/",
    "api/schema/",
    "api/docs/",
    "api/redoc/",
)
# Customer routes that are not reading a customer: changing, assigning, grading.
SERVICE_CENTRE_CUSTOMER_PAGES = ("customers/", "customers/<int:pk>/", "api/customers/")


def may_open_route(user, route):
    """Whether ``user``'s role may open the page or endpoint at ``route`` (the URL
    pattern, as ``request.resolver_match.route``): every role may, except the service
    centre, who keeps to the home page, customers (reading) and satisfaction."""
    if not serves_customers(user):
        return True
    if route == "":
        return True
    if route.startswith("customers/") or route.startswith("api/customers/"):
        return route in SERVICE_CENTRE_CUSTOMER_PAGES or route.startswith("api/customers/")
    return route.startswith(SERVICE_CENTRE_ROUTES)


def has_role(user):
    """Any CRM role at all (a user without one sees and imports nothing)."""
    return bool(role_of(user))


# The questions above as guards of views: logged in, and the role, else 403.
admin_required = role_required(sees_all)
supervisor_required = role_required(is_supervisor)
manager_required = role_required(works_customers)
region_lead_required = role_required(leads_region)
service_centre_required = role_required(serves_customers)
