/**
 * GitHub Projects (v2) as the sandbox keeps them: projects owned by an organization or a user,
 * numbered per owner, with fields (Title, Assignees, Status, Labels, Milestone, Repository — Status
 * being the single-select field boards show as columns) and items pointing at issues.
 *
 * Faithful to GitHub where it bites: adding an issue twice returns the same item; setting a value
 * with an option of another field fails; and `updateProjectV2Field` with `singleSelectOptions`
 * REPLACES the option list — every option gets a new id and every item's value of that field is
 * cleared, as on GitHub, where callers must put the values back themselves.
 *
 * @module
 */
import { nodeId, toSecond } from "./model.ts";
import type { IssueRec, RepoRec, UserRec } from "./model.ts";

/** The colors of single-select options (GraphQL enum `ProjectV2SingleSelectFieldOptionColor`). */
export const OPTION_COLORS = ["GRAY", "BLUE", "GREEN", "YELLOW", "ORANGE", "RED", "PINK", "PURPLE"] as const;
/** One of {@link OPTION_COLORS}. */
export type OptionColor = typeof OPTION_COLORS[number];

/** An option of a single-select field. */
export interface OptionRec {
  readonly id: string;
  readonly name: string;
  readonly color: OptionColor;
  readonly description: string;
}

/** Data types of project fields (GraphQL enum `ProjectV2FieldType`, the subset the sandbox has). */
export type FieldType =
  | "TITLE"
  | "ASSIGNEES"
  | "SINGLE_SELECT"
  | "LABELS"
  | "MILESTONE"
  | "REPOSITORY"
  | "TEXT";

/** A project field. */
export interface FieldRec {
  readonly id: string;
  readonly databaseId: number;
  name: string;
  readonly dataType: FieldType;
  /** Options of a single-select field. */
  options: OptionRec[];
}

/** A project item: an issue on the project. */
export interface ItemRec {
  readonly id: string;
  readonly databaseId: number;
  readonly repo: RepoRec;
  readonly issue: IssueRec;
  /** Single-select values: field id → option id. */
  readonly values: Map<string, string>;
  readonly created_at: number;
  updated_at: number;
}

/** A project. */
export interface ProjectRec {
  readonly id: string;
  readonly databaseId: number;
  readonly number: number;
  readonly owner: UserRec;
  title: string;
  closed: boolean;
  shortDescription: string;
  readonly fields: FieldRec[];
  readonly items: ItemRec[];
  /** Repositories linked to the project. */
  readonly repositories: RepoRec[];
  readonly created_at: number;
  updated_at: number;
}

/** Default Status options of a new project, as GitHub creates them. */
const DEFAULT_STATUS: ReadonlyArray<readonly [string, OptionColor, string]> = [
  ["Todo", "GREEN", "This item hasn't been started"],
  ["In Progress", "YELLOW", "This is actively being worked on"],
  ["Done", "PURPLE", "This has been completed"],
];

/** The projects of a sandbox. */
export class ProjectsState {
  readonly byId = new Map<string, ProjectRec>();
  readonly itemsById = new Map<string, ItemRec>();
  readonly fieldsById = new Map<string, { project: ProjectRec; field: FieldRec }>();
  #nextId = 90_000;
  #nextOption = 0x1a2b3c00;

  constructor(readonly now: () => number) {}

  #id(): number {
    return this.#nextId++;
  }

  /** A fresh 8-hex-digit option id, like GitHub's (`f75ad846`). */
  #optionId(): string {
    this.#nextOption = (this.#nextOption + 0x9e3779b1) >>> 0;
    return this.#nextOption.toString(16).padStart(8, "0");
  }

  /** The projects of an owner, by number. */
  ofOwner(owner: UserRec): ProjectRec[] {
    return [...this.byId.values()].filter((p) => p.owner.id === owner.id).sort((a, b) => a.number - b.number);
  }

  /** The project of `owner` numbered `number`. */
  byNumber(owner: UserRec, number: number): ProjectRec | undefined {
    return this.ofOwner(owner).find((p) => p.number === number);
  }

  #field(project: ProjectRec, name: string, dataType: FieldType, options: OptionRec[] = []): FieldRec {
    const databaseId = this.#id();
    const field: FieldRec = {
      id: nodeId(dataType === "SINGLE_SELECT" ? "PVTSSF" : "PVTF", project.databaseId, databaseId),
      databaseId,
      name,
      dataType,
      options,
    };
    project.fields.push(field);
    this.fieldsById.set(field.id, { project, field });
    return field;
  }

  /** Creates a project with GitHub's default fields (`createProjectV2`). */
  create(owner: UserRec, title: string, repository?: RepoRec): ProjectRec {
    const databaseId = this.#id();
    const at = toSecond(this.now());
    const project: ProjectRec = {
      id: nodeId("PVT", databaseId),
      databaseId,
      number: Math.max(0, ...this.ofOwner(owner).map((p) => p.number)) + 1,
      owner,
      title,
      closed: false,
      shortDescription: "",
      fields: [],
      items: [],
      repositories: repository === undefined ? [] : [repository],
      created_at: at,
      updated_at: at,
    };
    this.byId.set(project.id, project);
    this.#field(project, "Title", "TITLE");
    this.#field(project, "Assignees", "ASSIGNEES");
    this.#field(
      project,
      "Status",
      "SINGLE_SELECT",
      DEFAULT_STATUS.map(([name, color, description]) => ({
        id: this.#optionId(),
        name,
        color,
        description,
      })),
    );
    this.#field(project, "Labels", "LABELS");
    this.#field(project, "Milestone", "MILESTONE");
    this.#field(project, "Repository", "REPOSITORY");
    return project;
  }

  /**
   * Replaces the options of a single-select field (`updateProjectV2Field` with
   * `singleSelectOptions`): every option gets a new id and every value of the field is cleared.
   */
  replaceOptions(
    field: FieldRec,
    options: ReadonlyArray<{ name: string; color: OptionColor; description: string }>,
  ): void {
    const owner = this.fieldsById.get(field.id)!.project;
    field.options = options.map((o) => ({ id: this.#optionId(), ...o }));
    for (const item of owner.items) item.values.delete(field.id);
    owner.updated_at = toSecond(this.now());
  }

  /** Adds an issue to a project, or returns its existing item (`addProjectV2ItemById`). */
  addItem(project: ProjectRec, repo: RepoRec, issue: IssueRec): ItemRec {
    const existing = project.items.find((i) => i.issue === issue);
    if (existing !== undefined) return existing;
    const databaseId = this.#id();
    const at = toSecond(this.now());
    const item: ItemRec = {
      id: nodeId("PVTI", project.databaseId, databaseId),
      databaseId,
      repo,
      issue,
      values: new Map(),
      created_at: at,
      updated_at: at,
    };
    project.items.push(item);
    this.itemsById.set(item.id, item);
    project.updated_at = at;
    return item;
  }

  /** The project an item belongs to. */
  projectOf(item: ItemRec): ProjectRec {
    for (const p of this.byId.values()) if (p.items.includes(item)) return p;
    throw new Error(`Sandbox item ${item.id} belongs to no project`);
  }

  /** Sets a single-select value. */
  setValue(item: ItemRec, field: FieldRec, optionId: string): void {
    item.values.set(field.id, optionId);
    item.updated_at = toSecond(this.now());
    this.projectOf(item).updated_at = item.updated_at;
  }

  /** The option an item holds for the field named `name`, if any. */
  valueByName(item: ItemRec, name: string): { field: FieldRec; option: OptionRec } | undefined {
    const project = this.projectOf(item);
    const field = project.fields.find((f) => f.name.toLowerCase() === name.toLowerCase());
    if (field === undefined) return undefined;
    const optionId = item.values.get(field.id);
    const option = field.options.find((o) => o.id === optionId);
    return option === undefined ? undefined : { field, option };
  }

  /** The items of an issue, across projects. */
  itemsOfIssue(issue: IssueRec): ItemRec[] {
    return [...this.itemsById.values()].filter((i) => i.issue === issue);
  }
}
