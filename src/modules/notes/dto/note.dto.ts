import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsArray, IsBoolean, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { PageInfoDto, PageQueryDto, toList } from '../../../infra/http/pagination.dto';
import { NOTE_TYPES, NoteType } from '../entities/note.entity';
import { OptionalNotNull } from '../../../infra/http/optional-not-null';

export const NOTE_BODY_MAX = 10_000;
const NOT_BLANK = /\S/;

export class CreateNoteDto {
  @ApiProperty({ example: 'preference', enum: NOTE_TYPES })
  @IsIn(NOTE_TYPES)
  type: NoteType;

  @ApiProperty({ example: 'Prefers oat milk; allergic to hazelnuts.', minLength: 1, maxLength: NOTE_BODY_MAX })
  @IsString() @Length(1, NOTE_BODY_MAX) @Matches(NOT_BLANK, { message: 'body must not be blank' })
  body: string;

  @ApiPropertyOptional({ example: false, default: false, description: 'Pinned notes are listed first' })
  @IsOptional() @IsBoolean()
  pinned?: boolean;
}

export class UpdateNoteDto {
  @ApiPropertyOptional({ example: 'issue', enum: NOTE_TYPES })
  @OptionalNotNull() @IsIn(NOTE_TYPES)
  type?: NoteType;

  @ApiPropertyOptional({ example: 'Complained about a late delivery on 2026-11-02.', minLength: 1, maxLength: NOTE_BODY_MAX })
  @OptionalNotNull() @IsString() @Length(1, NOTE_BODY_MAX) @Matches(NOT_BLANK, { message: 'body must not be blank' })
  body?: string;

  @ApiPropertyOptional({ example: true })
  @OptionalNotNull() @IsBoolean()
  pinned?: boolean;
}

export class ListNotesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: ['issue', 'feedback'], enum: NOTE_TYPES, isArray: true, description: 'type=a&type=b or type=a,b' })
  @IsOptional() @Transform(toList) @IsArray() @IsIn(NOTE_TYPES, { each: true })
  type?: NoteType[];
}

export class NoteDto {
  @ApiProperty({ example: '5d0c7b1e-8f59-4a57-9a52-3c1f0f6f9e11' }) id: string;
  @ApiProperty({ example: '0b8f6f0e-3c4a-4a39-9d0c-5b2e8d7f1a20' }) customerId: string;
  @ApiProperty({ example: 'preference', enum: NOTE_TYPES }) type: NoteType;
  @ApiProperty({ example: 'Prefers oat milk; allergic to hazelnuts.' }) body: string;
  @ApiProperty({ example: false }) pinned: boolean;
  @ApiProperty({ example: '3f2504e0-4f89-41d3-9a0c-0305e82c3301', nullable: true, type: String, description: 'The user who wrote it; null for notes made by events or machine tokens' })
  authorId: string | null;
  @ApiProperty({ example: null, nullable: true, type: String, description: 'What created it when not a user, e.g. event:support.ticket_closed' })
  source: string | null;
  @ApiProperty({ example: '2026-11-01T10:00:00.000Z' }) createdAt: Date;
  @ApiProperty({ example: '2026-11-01T10:00:00.000Z' }) updatedAt: Date;
}

export class NotePageDto {
  @ApiProperty({ type: NoteDto, isArray: true }) data: NoteDto[];
  @ApiProperty({ type: PageInfoDto }) page: PageInfoDto;
}
