/**
 * Every tool forgesync serves; {@link createMcpServer} lists those of the configured tier.
 *
 * @module
 */
import type { ManagedRuntime } from "effect";
import type { Tool } from "../tool.ts";
import { orchestratorTask } from "./orchestrator_task.ts";
import { orchestratorFeature } from "./orchestrator_feature.ts";
import { orchestratorGitIntegration } from "./orchestrator_git_integration.ts";
import { orchestratorProjectBoardManager } from "./orchestrator_project_board_manager.ts";
import { orchestratorReleaseCoordinator } from "./orchestrator_release_coordinator.ts";
import type { Features } from "../../store/features.ts";
import type { Links } from "../../store/links.ts";
import type { Tasks } from "../../store/tasks.ts";
import type { Configs } from "../../store/configs.ts";
import type { Db } from "../../store/db.ts";
import type { Forges } from "../../forges/forges.ts";
import type { Sync } from "../../sync/service.ts";
import type { Config } from "../../config.ts";

/** The services the tools need. */
export type ToolServices = Tasks | Features | Links | Configs | Db | Forges | Sync | Config;

/** A runtime that serves the tools (the composition root's runtime is one). */
export type ToolRuntime = ManagedRuntime.ManagedRuntime<ToolServices, never>;

/** All tools, core first. */
export const allTools: readonly Tool<ToolServices>[] = [
  orchestratorTask,
  orchestratorFeature,
  orchestratorGitIntegration,
  orchestratorProjectBoardManager,
  orchestratorReleaseCoordinator,
];
