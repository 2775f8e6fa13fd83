"""`iaedash` command line: init, demo, import, export, template, bilan, fiche, revue, rebuild, check. Messages in
French."""

from __future__ import annotations

import argparse
import getpass
import logging
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from iaedash import demo, integrity, review, store
from iaedash.calls import UnknownCallError
from iaedash.db.connection import DatabaseBusyError, DatabaseMissingError
from iaedash.documents import fiche
from iaedash.domain.access import Viewer
from iaedash.domain.reference import ORIENTATION_CODES
from iaedash.domain.review import ReviewAction
from iaedash.exports import DATASETS, FORMATS, export_dataset, file_name
from iaedash.exports import export_dictionary as write_dictionary
from iaedash.filters import ALL_QUARTERS, Filters
from iaedash.final_report.narrative import NoConventionError
from iaedash.final_report.pack import final_report_pack
from iaedash.ingest.bulk import import_lot
from iaedash.ingest.load import TECHNICAL_LOG, ImportOutcome, import_paths
from iaedash.presenters import review as review_text
from iaedash.settings import database_path
from iaedash.templates import submission_template, template_file_name


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"date invalide « {text} » : attendu AAAA-MM-JJ") from None


def _day(text: str) -> date | None:
    """`--au AAAA-MM-JJ`: the day the figures stand at; today (or no option) is None, everything received so far."""
    day = _date(text)
    if day > date.today():
        raise argparse.ArgumentTypeError(f"date « {text} » dans le futur : --au prend un jour passé ou aujourd'hui")
    return day if day < date.today() else None


AS_OF_HELP = (
    "les données telles qu'elles étaient ce jour-là, AAAA-MM-JJ (reçues jusqu'à ce jour inclus ; défaut : aujourd'hui)"
)


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", help="fichier de base DuckDB (défaut : $IAEDASH_DB, sinon data/iaedash.duckdb)")
    parser = argparse.ArgumentParser(
        prog="iaedash", description="Suivi des indicateurs des têtes de réseaux IAE (Pas-de-Calais)."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMANDE")
    sub.add_parser("init", parents=[common], help="créer une base vide (schéma et codes de référence)")
    dem = sub.add_parser("demo", parents=[common], help="charger les données de démonstration fictives")
    dem.add_argument("--echelle", type=int, metavar="N", help="générer N têtes de réseaux fictives (défaut : 6)")
    dem.add_argument("--annees", type=int, metavar="A", help="sur A années d'appel finissant en 2025 (défaut : 1)")
    imp = sub.add_parser("import", parents=[common], help="importer des fichiers de dépôt (CSV ou XLSX)")
    imp.add_argument("files", nargs="+", type=Path, metavar="FICHIER")
    imp.add_argument("--recu-le", type=_date, default=None, help="date de réception AAAA-MM-JJ (défaut : aujourd'hui)")
    imp.add_argument(
        "--lot",
        action="store_true",
        help="fichiers en lot (CSV ou Parquet, un type par fichier, plusieurs réseaux, années et trimestres) : "
        "la reprise des années passées",
    )
    names = [*DATASETS, "dictionnaire"]
    exp = sub.add_parser("export", parents=[common], help="exporter un jeu de données (ou le dictionnaire)")
    exp.add_argument("name", choices=names, metavar="NOM", help=f"un parmi : {', '.join(names)}")
    exp.add_argument("--out", type=Path, help="fichier à écrire (défaut : un nom qui dit ce qu'il contient)")
    exp.add_argument(
        "--format",
        choices=list(FORMATS),
        default="csv",
        help="csv (Excel français), csv-brut (UTF-8, virgule, point décimal), xlsx ou parquet",
    )
    exp.add_argument("--annee", type=int, default=None, help="limiter à une année")
    exp.add_argument("--reseau", action="append", default=[], metavar="CODE", help="limiter à un réseau (répétable)")
    exp.add_argument(
        "--trimestre", action="append", type=int, choices=ALL_QUARTERS, default=[], help="trimestre 1 à 4 (répétable)"
    )
    exp.add_argument(
        "--orientation", action="append", choices=ORIENTATION_CODES, default=[], help="orientation (répétable)"
    )
    exp.add_argument("--au", type=_day, default=None, metavar="AAAA-MM-JJ", help=AS_OF_HELP)
    sub.add_parser("rebuild", parents=[common], help="reconstruire la base à partir des fichiers conservés")
    sub.add_parser(
        "check",
        parents=[common],
        help="vérifier la base contre les fichiers conservés (présence, SHA-256, lignes et totaux relus)",
    )
    pack = sub.add_parser(
        "bilan", parents=[common], help="bilan final d'un réseau (pédagogique .docx, exécution .xlsx)"
    )
    pack.add_argument("--reseau", required=True, metavar="CODE")
    pack.add_argument("--annee", type=int, required=True)
    pack.add_argument("--dossier", type=Path, default=Path(), help="dossier où écrire les deux fichiers")
    pack.add_argument("--au", type=_day, default=None, metavar="AAAA-MM-JJ", help=AS_OF_HELP)
    sheet = sub.add_parser(
        "fiche", parents=[common], help="fiche réseau en PDF (A4, pour la réunion de suivi ; budget en totaux)"
    )
    sheet.add_argument("--reseau", required=True, metavar="CODE")
    sheet.add_argument("--annee", type=int, required=True)
    sheet.add_argument(
        "--trimestre", action="append", type=int, choices=ALL_QUARTERS, default=[], help="trimestre 1 à 4 (répétable)"
    )
    sheet.add_argument(
        "--orientation", action="append", choices=ORIENTATION_CODES, default=[], help="orientation (répétable)"
    )
    sheet.add_argument("--au", type=_day, default=None, metavar="AAAA-MM-JJ", help=AS_OF_HELP)
    sheet.add_argument("--out", type=Path, help="fichier à écrire (défaut : fiche_reseau_ANNEE_TRIMESTRES_CODE.pdf)")
    rev = sub.add_parser(
        "revue", parents=[common], help="valider, renvoyer, verrouiller ou déverrouiller un trimestre ou une convention"
    )
    rev.add_argument(
        "action",
        choices=[a.value for a in ReviewAction],
        metavar="ACTE",
        help="valider, renvoyer, verrouiller ou deverrouiller",
    )
    rev.add_argument("--reseau", required=True, metavar="CODE")
    rev.add_argument("--annee", type=int, required=True)
    period = rev.add_mutually_exclusive_group(required=True)
    period.add_argument("--trimestre", type=int, choices=ALL_QUARTERS, help="le trimestre examiné (1 à 4)")
    period.add_argument("--convention", action="store_true", help="la convention de l'année plutôt qu'un trimestre")
    rev.add_argument("--motif", default=None, help="motif (obligatoire pour renvoyer et deverrouiller)")
    tpl = sub.add_parser("template", parents=[common], help="modèle de dépôt .xlsx prêt à remplir")
    tpl.add_argument("--reseau", required=True, metavar="CODE")
    tpl.add_argument("--annee", type=int, required=True)
    tpl.add_argument("--trimestre", type=int, required=True, choices=ALL_QUARTERS)
    tpl.add_argument("--out", type=Path, help="fichier à écrire (défaut : modele_depot_CODE_ANNEE_TN.xlsx)")
    return parser


def print_outcomes(outcomes: Sequence[ImportOutcome]) -> None:
    for outcome in outcomes:
        if outcome.status == "refused":
            print(f"{outcome.file_name} : {outcome.message}", file=sys.stderr)
            for problem in outcome.problems:
                print(f"  {problem}", file=sys.stderr)
        else:
            print(f"{outcome.file_name} : {outcome.message}")
        for warning in outcome.warnings:
            print(f"  avertissement : {warning}", file=sys.stderr)


def operator() -> Viewer:
    """The CLI is the operator's tool on the server: a gestionnaire, recorded under the system user's name."""
    return Viewer.operator(getpass.getuser())


def _progress(done: int, year: int) -> None:
    print(f"\r{year} : {done} fichiers", end="", file=sys.stderr)


def scale_demo(db: Path, network_heads: int, years: int) -> int:
    """`iaedash demo --echelle N --annees A`: a generated database for the benchmark (iaedash.scale)."""
    from iaedash import scale

    try:
        size = scale.Scale(network_heads, years)
        built = scale.build(db, size, _progress if sys.stderr.isatty() else None)
    except (ValueError, scale.TargetNotEmpty) as error:
        print(f"erreur : {error}", file=sys.stderr)
        return 1
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print_outcomes(built.refused)
    first, last = size.call_years[0], size.call_years[-1]
    years_text = str(last) if first == last else f"{first} à {last}"
    print(
        f"{len(built.outcomes)} fichier(s) importé(s) en {built.seconds:.0f} s, {len(built.refused)} refusé(s) : "
        f"{network_heads} têtes de réseaux fictives, {years_text}, dans {db}\n"
        f"appels de ces années : {built.calls_dir} ; lancez l'application et la ligne de commande avec "
        f"IAEDASH_CALLS_DIR={built.calls_dir} IAEDASH_DB={db}"
    )
    return 1 if built.refused else 0


def technical_log(db: Path) -> None:
    """Tracebacks of unexpected errors go to a file beside the database, for the maintainer; the person at
    the terminal reads the French verdict of each file (created only when something is written to it)."""
    handler = logging.FileHandler(db.parent / TECHNICAL_LOG, encoding="utf-8", delay=True)
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    logger = logging.getLogger("iaedash")
    logger.handlers = [h for h in logger.handlers if not isinstance(h, logging.FileHandler)] + [handler]
    logger.propagate = False


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    db = database_path(args.db)
    technical_log(db)
    try:
        if args.command not in ("init", "demo", "rebuild"):
            store.upgrade(db)
        if args.command == "init":
            store.init(db)
            print(f"base prête : {db}")
        elif args.command == "demo" and (args.echelle is not None or args.annees is not None):
            heads = 6 if args.echelle is None else args.echelle
            return scale_demo(db, heads, 1 if args.annees is None else args.annees)
        elif args.command == "demo":
            outcomes = demo.load_demo(db)
            print_outcomes(outcomes)
            if not all(o.ok for o in outcomes):
                return 1
            print(f"données de démonstration chargées dans {db}")
        elif args.command == "import":
            received = args.recu_le or date.today()
            if args.lot:  # each bulk file's verdict said as soon as it is known, whatever the next ones do
                outcomes = []
                for path in args.files:
                    outcomes.append(import_lot(db, path, received, viewer=operator()))
                    print_outcomes(outcomes[-1:])
            else:
                outcomes = import_paths(db, args.files, received, operator())
                print_outcomes(outcomes)
            return 0 if all(o.ok for o in outcomes) else 1
        elif args.command == "export":
            if args.name == "dictionnaire":
                out = args.out or Path(f"iae_dictionnaire{FORMATS[args.format][1]}")
                count = write_dictionary(out, args.format)
            else:
                filters = Filters(
                    year=args.annee,
                    network_heads=tuple(sorted(code.upper() for code in args.reseau)),
                    quarters=tuple(sorted(args.trimestre)) or ALL_QUARTERS,
                    orientations=tuple(o for o in ORIENTATION_CODES if o in args.orientation) or ORIENTATION_CODES,
                    as_of=args.au,
                )
                out = args.out or Path(file_name(args.name, filters, args.format))
                count = export_dataset(db, operator(), args.name, out, args.format, filters)
            print(f"{count} ligne(s) écrite(s) dans {out}")
        elif args.command == "template":
            code = args.reseau.strip().upper()
            names = store.network_head_names(db)
            if code not in names:
                known = ", ".join(sorted(names)) or "aucun"
                print(f"erreur : réseau « {code} » inconnu (réseaux connus : {known})", file=sys.stderr)
                return 1
            out = args.out or Path(template_file_name(code, args.annee, args.trimestre))
            out.write_bytes(submission_template(code, names[code], args.annee, args.trimestre))
            print(f"modèle écrit dans {out}")
        elif args.command == "bilan":
            try:
                head = args.reseau.strip().upper()
                documents = final_report_pack(db, operator(), head, args.annee, date.today(), args.au)
            except NoConventionError as error:
                print(f"erreur : {error}", file=sys.stderr)
                return 1
            args.dossier.mkdir(parents=True, exist_ok=True)
            for document in documents:
                (args.dossier / document.file_name).write_bytes(document.data)
                print(f"écrit : {args.dossier / document.file_name}")
        elif args.command == "fiche":
            code = args.reseau.strip().upper()
            filters = Filters(
                year=args.annee,
                network_heads=(code,),
                quarters=tuple(sorted(set(args.trimestre))) or ALL_QUARTERS,
                orientations=tuple(o for o in ORIENTATION_CODES if o in args.orientation) or ORIENTATION_CODES,
                as_of=args.au,
            )
            try:
                document = fiche.build(db, operator(), code, filters, args.au or date.today())
            except NoConventionError as error:
                print(f"erreur : {error}", file=sys.stderr)
                return 1
            out = args.out or Path(fiche.file_name(code, filters))
            out.write_bytes(document)
            print(f"fiche réseau écrite dans {out}")
        elif args.command == "revue":
            if not db.exists():
                raise DatabaseMissingError(str(db))
            scope = review.Scope(args.reseau.strip().upper(), args.annee, None if args.convention else args.trimestre)
            action = ReviewAction(args.action)
            try:
                after = review.act(db, operator(), scope, action, args.motif)
            except review.ReviewRefused as error:
                print(f"erreur : {review_text.refusal_message(error.reason, error.state, scope)}", file=sys.stderr)
                return 1
            print(review_text.act_done(after, action))
        elif args.command == "check":
            if not db.exists():
                raise DatabaseMissingError(str(db))
            report = integrity.check(db)
            for line in report.recovered:
                print(line)
            for line in report.differences:
                print(f"différence : {line}", file=sys.stderr)
            if not report.ok:
                print(
                    f"{len(report.differences)} différence(s) entre la base et les fichiers conservés", file=sys.stderr
                )
                return 1
            print(
                f"base conforme aux fichiers conservés : {report.files} fichier(s) relus ({report.parts} partie(s)), "
                f"{report.lots} fichier(s) en lot relus"
            )
        elif args.command == "rebuild":
            outcomes = store.rebuild(db)
            print(f"base reconstruite à partir de {len(outcomes)} fichier(s) conservé(s) : {db}")
    except DatabaseMissingError:
        print(f"erreur : aucune base à {db} ; lancez d'abord « iaedash init » ou « iaedash demo »", file=sys.stderr)
        return 2
    except DatabaseBusyError as error:
        print(f"erreur : {error}", file=sys.stderr)
        return 3
    except store.RebuildError as error:
        print(f"erreur : {error} ; la base est restée telle quelle", file=sys.stderr)
        return 1
    except UnknownCallError as error:
        print(f"erreur : aucun appel à projets n'est défini pour l'année {error} (data/appels/)", file=sys.stderr)
        return 1
    return 0
