import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, CurrentTenant } from '../../infra/auth/auth.decorators';
import { AuthPrincipal } from '../../infra/auth/roles';
import { CreateNoteDto, ListNotesQueryDto, NoteDto, NotePageDto, UpdateNoteDto } from './dto/note.dto';
import { toNoteDto } from './note.mapper';
import { NotesService } from './notes.service';

@ApiTags('notes')
@ApiBearerAuth()
@Controller('customers/:customerId/notes')
export class NotesController {
  constructor(private readonly notes: NotesService) {}

  @Post()
  @ApiCreatedResponse({ type: NoteDto })
  async create(@CurrentPrincipal() p: AuthPrincipal, @Param('customerId', ParseUUIDPipe) customerId: string, @Body() dto: CreateNoteDto): Promise<NoteDto> {
    return toNoteDto(await this.notes.create(p, customerId, dto));
  }

  @Get()
  @ApiOkResponse({ type: NotePageDto, description: 'Pinned first, then newest first' })
  async list(@CurrentTenant() t: string, @Param('customerId', ParseUUIDPipe) customerId: string, @Query() query: ListNotesQueryDto): Promise<NotePageDto> {
    const page = await this.notes.list(t, customerId, query);
    return { data: page.data.map(toNoteDto), page: page.page };
  }

  @Get(':noteId')
  @ApiOkResponse({ type: NoteDto })
  async get(@CurrentTenant() t: string, @Param('customerId', ParseUUIDPipe) customerId: string, @Param('noteId', ParseUUIDPipe) noteId: string): Promise<NoteDto> {
    return toNoteDto(await this.notes.get(t, customerId, noteId));
  }

  @Patch(':noteId')
  @ApiOkResponse({ type: NoteDto })
  async update(
    @CurrentTenant() t: string,
    @Param('customerId', ParseUUIDPipe) customerId: string,
    @Param('noteId', ParseUUIDPipe) noteId: string,
    @Body() dto: UpdateNoteDto,
  ): Promise<NoteDto> {
    return toNoteDto(await this.notes.update(t, customerId, noteId, dto));
  }

  @Delete(':noteId')
  @HttpCode(204)
  @ApiNoContentResponse()
  remove(@CurrentTenant() t: string, @Param('customerId', ParseUUIDPipe) customerId: string, @Param('noteId', ParseUUIDPipe) noteId: string): Promise<void> {
    return this.notes.remove(t, customerId, noteId);
  }
}
