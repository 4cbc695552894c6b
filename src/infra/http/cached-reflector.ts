import { Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';

type Targets = Parameters<Reflector['getAllAndOverride']>[1];

/**
 * A Reflector whose getAllAndOverride() keeps each answer per (metadata key, handler, controller): route metadata
 * is fixed once the app runs, and the global guards asked for about ten keys on every request, each a walk through
 * reflect-metadata's maps and prototype chain.
 */
@Injectable()
export class CachedReflector extends Reflector {
  private readonly answers = new Map<unknown, WeakMap<object, WeakMap<object, { value: unknown }>>>();

  override getAllAndOverride<T>(metadataKey: unknown, targets: Targets): T {
    const [handler, controller] = targets;
    if (targets.length !== 2 || !handler || !controller) return super.getAllAndOverride<T>(metadataKey, targets);
    let byHandler = this.answers.get(metadataKey);
    if (!byHandler) this.answers.set(metadataKey, (byHandler = new WeakMap()));
    let byController = byHandler.get(handler);
    if (!byController) byHandler.set(handler, (byController = new WeakMap()));
    let answer = byController.get(controller);
    if (!answer) byController.set(controller, (answer = { value: super.getAllAndOverride<T>(metadataKey, targets) }));
    return answer.value as T;
  }
}
