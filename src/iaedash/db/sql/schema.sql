-- iaedash store. Append-only: a corrected quarter or an amended convention is a
-- new version of its scope; nothing is updated or deleted, so every version stays
-- queryable. Layers (jaffle_shop style):
--   raw tables      imports, submissions, indicator_values, staff_lines, conventions, convention_targets
--   current_*       the current version of each scope, with provenance (file, version, line)
--   marts           what pages and exports read

create table if not exists schema_info (key varchar primary key, value varchar not null);

create table if not exists orientations (code varchar primary key, label varchar not null, position integer not null);
create table if not exists indicators (
    code varchar primary key, label varchar not null, unit varchar not null, position integer not null
);
create table if not exists territories (code varchar primary key, label varchar not null, position integer not null);

-- One row per accepted file, as kept under depots/ beside the database.
create table if not exists imports (
    import_id integer primary key,
    file_name varchar not null,
    sha256 varchar not null unique,
    received_on date not null,
    imported_at timestamp not null,
    kept_file varchar not null
);

-- What a part of a file replaces: (kind, network head, year, quarter); quarter is null for conventions.
create table if not exists submissions (
    submission_id integer primary key,
    import_id integer not null references imports (import_id),
    kind varchar not null check (kind in ('indicateurs', 'personnel', 'conventions')),
    network_head varchar not null,
    year integer not null,
    quarter integer check (quarter between 1 and 4),
    version integer not null check (version >= 1),
    sheet varchar,
    on_time boolean  -- quarterly submissions only: received by the call's due date
);

create table if not exists indicator_values (
    submission_id integer not null references submissions (submission_id),
    orientation varchar not null,
    indicator varchar not null,
    territory varchar not null,
    value integer not null check (value >= 0),
    comment varchar,
    source_line integer not null,
    primary key (submission_id, orientation, indicator, territory)
);

-- amount_eur = monthly_cost_eur × assignment_rate / 100 rounded per line; eligibility decided by the
-- domain layer at import with the call of the year, and stored with its reason (never dropped).
create table if not exists staff_lines (
    submission_id integer not null references submissions (submission_id),
    month integer not null check (month between 1 and 12),
    employee varchar not null,
    job_title varchar not null,
    support_function boolean not null,
    monthly_cost_eur decimal(14, 2) not null check (monthly_cost_eur >= 0),
    assignment_rate decimal(5, 2) not null check (assignment_rate > 0 and assignment_rate <= 100),
    amount_eur decimal(14, 2) not null,
    eligible boolean not null,
    ineligibility_reason varchar,
    source_line integer not null,
    primary key (submission_id, employee, month)
);

create table if not exists conventions (
    submission_id integer primary key references submissions (submission_id),
    name varchar not null,
    start_date date not null,
    end_date date not null,
    planned_staff_cost_eur decimal(14, 2) not null,
    planned_total_cost_eur decimal(14, 2) not null,
    esf_amount_eur decimal(14, 2) not null,
    department_amount_eur decimal(14, 2) not null,
    self_financing_eur decimal(14, 2) not null,
    advance_paid_eur decimal(14, 2) not null,
    advance_date date,
    source_line integer not null,
    check (esf_amount_eur + department_amount_eur + self_financing_eur = planned_total_cost_eur)
);

-- A target left empty is stored as null: « pas d'objectif », never 0.
create table if not exists convention_targets (
    submission_id integer not null references submissions (submission_id),
    indicator varchar not null,
    target integer check (target >= 0),
    primary key (submission_id, indicator)
);

-- Time travel: what the Département had on a day (`as_of`, a date; null = everything, today). « What had
-- been received up to that day included »: a file counts from its date received, whenever it was imported;
-- review acts and comments from the day they happened. The append-only store holds every version, so the
-- past is a filter, not a copy. The current_* views below are the same macros with no day (the write side).
create or replace macro submissions_received(as_of) as table
select s.*, i.file_name, i.sha256, i.received_on, i.imported_at
from submissions s
join imports i using (import_id)
where as_of is null or i.received_on <= as_of;

create or replace macro current_submissions_at(as_of) as table
select *
from submissions_received(as_of)
qualify version = max(version) over (partition by kind, network_head, year, quarter);

create or replace macro current_indicator_values_at(as_of) as table
select
    s.network_head, s.year, s.quarter, v.orientation, v.indicator, v.territory, v.value, v.comment,
    s.file_name, s.sheet, s.version, v.source_line, s.submission_id
from current_submissions_at(as_of) s
join indicator_values v using (submission_id)
where s.kind = 'indicateurs';

create or replace macro current_staff_lines_at(as_of) as table
select
    s.network_head, s.year, s.quarter, l.month, l.employee, l.job_title, l.support_function,
    l.monthly_cost_eur, l.assignment_rate, l.amount_eur, l.eligible, l.ineligibility_reason,
    s.file_name, s.sheet, s.version, l.source_line, s.submission_id
from current_submissions_at(as_of) s
join staff_lines l using (submission_id)
where s.kind = 'personnel';

create or replace macro current_conventions_at(as_of) as table
select
    s.network_head, s.year, c.* exclude (submission_id), s.version, s.file_name, s.received_on,
    s.submission_id
from current_submissions_at(as_of) s
join conventions c using (submission_id)
where s.kind = 'conventions';

create or replace macro current_targets_at(as_of) as table
select c.network_head, c.year, t.indicator, t.target
from current_conventions_at(as_of) c
join convention_targets t using (submission_id);

create or replace view current_submissions as select * from current_submissions_at(null);
create or replace view current_indicator_values as select * from current_indicator_values_at(null);
create or replace view current_staff_lines as select * from current_staff_lines_at(null);
create or replace view current_conventions as select * from current_conventions_at(null);
create or replace view current_targets as select * from current_targets_at(null);

-- A network head exists once a convention names it; its name is the latest one sent.
create or replace macro network_heads_at(as_of) as table
select network_head as code, arg_max(name, submission_id) as name
from current_conventions_at(as_of)
group by network_head;
create or replace view network_heads as select * from network_heads_at(null);

-- The viewer's restriction and the filter bar's network heads, applied once: every read that lists network
-- heads filters with in_view(network_head, $network_heads, $allowed). `chosen` empty = every network head
-- of the filter bar; `allowed` null = the viewer may see every network head (the Direction's roles).
-- visible(network_head, $allowed) is the viewer's restriction alone, for reads of one named network head.
create or replace macro visible(head, allowed) as allowed is null or list_contains(allowed, head);
create or replace macro in_view(head, chosen, allowed) as
    (len(chosen) = 0 or list_contains(chosen, head)) and visible(head, allowed);

-- Who imported each file (the signed-in person, the local computer, or the CLI's system user).
create table if not exists import_authors (
    import_id integer primary key references imports (import_id),
    actor_email varchar not null,
    actor_name varchar not null,
    actor_role varchar not null
);

-- Review acts, append-only: the status of a scope is derived from its versions and its last act.
-- A scope is a network head's quarter (indicators and staff costs together) or its convention (quarter null).
create table if not exists review_events (
    event_id integer primary key,
    network_head varchar not null,
    year integer not null,
    quarter integer check (quarter between 1 and 4),
    action varchar not null check (action in ('valider', 'renvoyer', 'verrouiller', 'deverrouiller')),
    main_version integer,   -- indicators version (convention version for a convention) at the time of the act
    staff_version integer,  -- staff-costs version at the time of the act
    reason varchar,
    actor_email varchar not null,
    actor_name varchar not null,
    actor_role varchar not null,
    happened_at timestamp not null
);

-- Comment threads, append-only: one per scope, optionally about one value (indicator × orientation).
create table if not exists review_comments (
    comment_id integer primary key,
    network_head varchar not null,
    year integer not null,
    quarter integer check (quarter between 1 and 4),
    indicator varchar,
    orientation varchar,
    body varchar not null,
    actor_email varchar not null,
    actor_name varchar not null,
    actor_role varchar not null,
    happened_at timestamp not null
);

-- Review acts and comments as they stood on a day (null: all): those that happened up to that day included.
create or replace macro review_events_at(as_of) as table
select * from review_events where as_of is null or happened_at < as_of::date + 1;
create or replace macro review_comments_at(as_of) as table
select * from review_comments where as_of is null or happened_at < as_of::date + 1;

-- What the journal holds beside imports, review acts and comments: refused files, refused access.
create table if not exists journal_events (
    event_id integer primary key,
    happened_at timestamp not null,
    action varchar not null,  -- a JournalAction value (iaedash.journal): refused file, refused access
    actor_email varchar not null,
    actor_name varchar not null,
    actor_role varchar not null,
    network_head varchar,
    year integer,
    quarter integer,
    detail varchar
);

-- The journal: every import, refusal, review act, comment and refused access — who, when, what.
-- A view over the append-only tables, so nothing in it can be edited apart from its source.
create or replace view journal as
with imported as (
    select
        i.imported_at as happened_at, 'import' as action,
        coalesce(a.actor_email, 'inconnu') as actor_email, coalesce(a.actor_name, 'inconnu') as actor_name,
        coalesce(a.actor_role, 'inconnu') as actor_role,
        min(s.network_head) as network_head, min(s.year) as year,
        case when count(distinct s.quarter) = 1 then min(s.quarter) end as quarter,
        i.import_id,
        i.file_name || ' : ' || string_agg(
            s.kind || ' ' || s.network_head || ' ' || coalesce('T' || s.quarter || ' ', '') || s.year
            || ' v' || s.version, ' ; ' order by s.submission_id
        ) as detail
    from imports i
    left join import_authors a using (import_id)
    left join submissions s using (import_id)
    group by i.import_id, i.imported_at, i.file_name, a.actor_email, a.actor_name, a.actor_role
),
reviewed as (
    select happened_at, action, actor_email, actor_name, actor_role, network_head, year, quarter, null::integer as import_id,
           coalesce('v' || main_version, '') || coalesce(', personnel v' || staff_version, '')
           || coalesce(' : ' || reason, '') as detail
    from review_events
),
commented as (
    select happened_at, 'commentaire' as action, actor_email, actor_name, actor_role, network_head, year, quarter,
           null::integer as import_id,
           coalesce(indicator || ' ' || orientation || ' : ', '') || body as detail
    from review_comments
),
logged as (
    select happened_at, action, actor_email, actor_name, actor_role, network_head, year, quarter, null::integer as import_id,
           detail
    from journal_events
),
final as (
    select * from imported
    union all by name select * from reviewed
    union all by name select * from commented
    union all by name select * from logged
)
select * from final;
