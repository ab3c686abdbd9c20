import type { Migration } from 'kysely'
import * as m0001 from './2026-11-27-0001-platform.js'
import * as m0003 from './2026-11-27-0003-core-crm.js'
import * as m0004 from './2026-11-27-0004-import-content.js'
import * as m0005 from './2026-11-27-0005-list-indexes.js'
import * as m0006 from './2026-11-27-0006-pipeline-board.js'
import * as m0007 from './2026-11-27-0007-dashboards-goals.js'
import * as m0007mail from './2026-11-27-0007-mail-notifications.js'
import * as m0008 from './2026-11-27-0008-tasks.js'
import * as m0009 from './2026-11-27-0009-quotes.js'
import * as m0010list from './2026-11-27-0010-list-french-order.js'
import * as m0011 from './2026-11-27-0011-workflows.js'
import * as m0012 from './2026-11-27-0012-workflow-runs.js'
import * as m0013 from './2026-11-27-0013-quote-documents.js'
import * as m0014 from './2026-11-27-0014-quote-editor.js'
import * as m0015 from './2026-11-27-0015-search-words.js'
import * as m0016 from './2026-11-27-0016-board-totals.js'
import * as m0017 from './2026-11-27-0017-stage-totals.js'
import * as m0018seed from './2026-12-07-0018-seed-progress.js'
import * as m0020edge from './2026-12-07-0020-rate-limits.js'
import * as m0022 from './2026-12-07-0022-webhook-deliveries.js'
import * as m0028docs from './2026-12-07-0028-stored-files.js'
import * as m1101pipelines from './2026-12-08-1101-pipelines.js'
import * as m1501phone from './2026-12-08-1501-push-subscriptions.js'
import * as m1502phone from './2026-12-08-1502-activity-check-ins.js'
import * as m1801contracts from './2026-12-08-1801-contracts.js'
import * as m1901accounting from './2026-12-08-1901-accounting.js'
import * as m1601invoices from './2026-12-08-1601-invoices.js'
import * as m1201records from './2026-12-08-1201-record-workspaces.js'
import * as m1601bank from './2026-12-09-1601-bank-statements.js'
import * as m1301merges from './2026-12-09-1301-record-merges.js'
import * as m1901scoring from './2026-12-09-1901-win-models.js'
import * as m2301webhooks from './2026-12-09-2301-webhook-endpoints.js'
import * as m2001campaigns from './2026-12-09-2001-campaigns.js'
import * as m2101reports from './2026-12-09-2101-reports.js'

// Migrations listed explicitly (not read from the folder) so they load the same way
// under tsx, Vite and vitest. Add new ones at the end; never edit an applied one.
export const migrations: Record<string, Migration> = {
  '2026-11-27-0001-platform': m0001,
  '2026-11-27-0003-core-crm': m0003,
  '2026-11-27-0004-import-content': m0004,
  '2026-11-27-0005-list-indexes': m0005,
  '2026-11-27-0006-pipeline-board': m0006,
  '2026-11-27-0007-dashboards-goals': m0007,
  '2026-11-27-0007-mail-notifications': m0007mail,
  '2026-11-27-0008-tasks': m0008,
  '2026-11-27-0009-quotes': m0009,
  '2026-11-27-0010-list-french-order': m0010list,
  '2026-11-27-0011-workflows': m0011,
  '2026-11-27-0012-workflow-runs': m0012,
  '2026-11-27-0013-quote-documents': m0013,
  '2026-11-27-0014-quote-editor': m0014,
  '2026-11-27-0015-search-words': m0015,
  '2026-11-27-0016-board-totals': m0016,
  '2026-11-27-0017-stage-totals': m0017,
  '2026-12-07-0018-seed-progress': m0018seed,
  '2026-12-07-0020-rate-limits': m0020edge,
  '2026-12-07-0022-webhook-deliveries': m0022,
  '2026-12-07-0028-stored-files': m0028docs,
  '2026-12-08-1101-pipelines': m1101pipelines,
  '2026-12-08-1501-push-subscriptions': m1501phone,
  '2026-12-08-1502-activity-check-ins': m1502phone,
  '2026-12-08-1801-contracts': m1801contracts,
  '2026-12-08-1901-accounting': m1901accounting,
  '2026-12-08-1601-invoices': m1601invoices,
  '2026-12-08-1201-record-workspaces': m1201records,
  '2026-12-09-1601-bank-statements': m1601bank,
  '2026-12-09-1301-record-merges': m1301merges,
  '2026-12-09-1901-win-models': m1901scoring,
  '2026-12-09-2301-webhook-endpoints': m2301webhooks,
  '2026-12-09-2001-campaigns': m2001campaigns,
  '2026-12-09-2101-reports': m2101reports,
}
