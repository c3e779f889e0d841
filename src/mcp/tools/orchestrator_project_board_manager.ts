/**
 * `orchestrator_project_board_manager` (tier project+): project boards on the forge — GitHub
 * Projects (v2) and GitLab issue boards — holding the issues of linked features and tasks, in the
 * column their local status maps to. The logic lives in `src/boards/`.
 *
 * @module
 */
import { Schema } from "effect";
import { action, type Tool } from "../tool.ts";
import { FeatureId, TaskId, Title } from "../params.ts";
import { IssueNumber, Platform, Repository, Url } from "./git/params.ts";
import {
  BoardId,
  BoardNumber,
  BoardStatusMapping,
  BoardTypeParam,
  ColumnName,
  Owner,
} from "./board/params.ts";
import { BoardOutput } from "./board/shapes.ts";
import {
  addToBoard,
  type BoardServices,
  createBoard,
  moveCard,
  syncMilestones,
  updateProgress,
  viewBoard,
} from "../../boards/service.ts";

const opt = Schema.optionalKey;
const where = { repository: opt(Repository), platform: opt(Platform) };
const board = { board_id: opt(BoardId), ...where };

const create = action({
  description:
    "Create a board on the forge (board_type, title, status_mapping) with a column per mapped status — " +
    "or, with board_number or board_url, adopt an existing one and add the columns it lacks; records it locally. " +
    "A board of the same type and title already made is returned.",
  params: Schema.Struct({
    board_type: opt(BoardTypeParam),
    title: opt(
      Title.annotate({ description: "Title of a new board (default: the repository name and type)." }),
    ),
    board_number: opt(BoardNumber),
    board_url: opt(Url.annotate({
      description: "Adopt an existing board by its address: https://github.com/orgs/ORG/projects/N or " +
        "https://gitlab.com/GROUP/PROJECT/-/boards/N.",
    })),
    owner: opt(Owner),
    status_mapping: opt(BoardStatusMapping),
    ...where,
  }),
  run: (input) => createBoard(input),
});

const add = action({
  description:
    "Put a linked feature's or task's issue on the board, in the column its local status maps to " +
    "(release_planning: its milestone's), or in column. Idempotent. The item needs an issue first (create_issue).",
  params: Schema.Struct({
    ...board,
    feature_id: opt(FeatureId),
    task_id: opt(TaskId),
    column: opt(ColumnName),
  }),
  run: (input) => addToBoard(input),
});

const move = action({
  destructive: true,
  description:
    "Move a card on the board (by feature_id, task_id or issue_number) to the column named column. " +
    "update_progress later puts it back where its status maps, unless the status changes.",
  params: Schema.Struct({
    ...board,
    column: ColumnName,
    feature_id: opt(FeatureId),
    task_id: opt(TaskId),
    issue_number: opt(IssueNumber),
  }),
  run: (input) => moveCard(input),
});

const progress = action({
  destructive: true,
  description: "Push every card's column from its item's local status (release_planning: its milestone), " +
    "moving only cards not there yet; dry_run lists the moves without making them.",
  params: Schema.Struct({
    ...board,
    dry_run: opt(Schema.Boolean.annotate({ description: "List the moves without making them." })),
  }),
  run: (input, context) => updateProgress(input, context.progress),
});

const milestones = action({
  description: "On a release_planning board: add a column per open milestone, then put every card in its " +
    "issue's milestone column (No milestone when it has none).",
  params: Schema.Struct(board),
  run: (input, context) => syncMilestones(input, context.progress),
});

const view = action({
  reads: true,
  description:
    "The board's columns with their cards (issue number, title, linked feature or task), read from " +
    "the forge (or, when it is out of reach, as last recorded). Without board_id and with several boards: the boards.",
  params: Schema.Struct(board),
  run: (input) => viewBoard(input),
});

/** The project board tool. */
export const orchestratorProjectBoardManager: Tool<BoardServices> = {
  name: "orchestrator_project_board_manager",
  description: "Project boards for linked features and tasks: GitHub Projects (v2) and GitLab issue boards " +
    "(Bitbucket has none: its boards live in Jira). Start with create_board (or adopt an existing board with " +
    "board_number); add_to_board puts an item's issue in the column its status maps to; move_card moves a card " +
    "by column NAME; update_progress moves every card to the column its current status maps to; sync_milestones " +
    "gives a release_planning board a column per open milestone; view shows the columns and cards. When the forge " +
    'is out of reach, moves are kept locally (sync_status "pending") and sent by the next update_progress.',
  tier: "project",
  annotations: {
    title: "Project boards",
    readOnlyHint: false,
    destructiveHint: true,
    idempotentHint: false,
    openWorldHint: true,
  },
  actions: {
    create_board: create,
    add_to_board: add,
    move_card: move,
    update_progress: progress,
    sync_milestones: milestones,
    view,
  },
  output: BoardOutput,
};
