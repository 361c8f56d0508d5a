/* ord-catalogue-page.c: the products of the shop, searchable, with an editor
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ord-catalogue-page"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ord-catalogue-page-private.h"
#include "ord-ui.h"
#include "ord-ui-format.h"

G_DEFINE_FINAL_TYPE (OrdCataloguePage, ord_catalogue_page, ADW_TYPE_BIN)

static const char *
get_currency (OrdCataloguePage *self)
{
  const char *currency = self->product ? ord_product_get_currency (self->product) : NULL;

  return currency != NULL && ord_currency_is_valid (currency) ? currency : "EUR";
}

/* The shop's currency for a new product: the setting, else euros. */
static char *
default_currency (OrdCataloguePage *self)
{
  GSettings *settings = ord_context_get_settings (self->context);

  if (ord_settings_has_key (settings, "currency"))
    {
      g_autofree char *currency = g_settings_get_string (settings, "currency");

      if (ord_currency_is_valid (currency))
        return g_steal_pointer (&currency);
    }

  return g_strdup ("EUR");
}

static char *
trimmed (GtkEditable *editable)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (editable)));
}

static void
set_row_error (GtkEditable *row,
               gboolean     error)
{
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
}

static void
show_error (OrdCataloguePage *self,
            const char       *message)
{
  gtk_label_set_text (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

/* Reads the price field; FALSE with a message in words when it is not a
 * price. An empty field is no price yet: FALSE without a message. */
static gboolean
parse_price (OrdCataloguePage  *self,
             gint64            *amount,
             char             **message)
{
  g_autofree char *text = trimmed (self->price_row);
  g_autoptr(GError) error = NULL;

  *message = NULL;
  if (text[0] == '\0')
    return FALSE;
  if (!ord_amount_parse (text, ord_currency_get_digits (get_currency (self)), amount, &error))
    {
      /* Translators: %s is what was typed as a price. */
      *message = g_strdup_printf (_("“%s” is not a price"), text);
      return FALSE;
    }
  if (*amount < 0)
    {
      *message = g_strdup (_("The price must not be negative"));
      return FALSE;
    }

  return TRUE;
}

/* What is wrong with the form, or NULL; @strict also names empty fields. */
static char *
validate (OrdCataloguePage *self,
          gboolean          strict,
          gint64           *price)
{
  g_autofree char *sku = trimmed (self->sku_row);
  g_autofree char *name = trimmed (self->name_row);
  g_autofree char *price_message = NULL;
  gboolean price_ok;
  gint64 amount = 0;

  price_ok = parse_price (self, &amount, &price_message);
  set_row_error (self->price_row, price_message != NULL);
  set_row_error (self->sku_row, strict && sku[0] == '\0');
  set_row_error (self->name_row, strict && name[0] == '\0');

  if (price_message != NULL)
    return g_steal_pointer (&price_message);
  if (!strict)
    return NULL;
  if (sku[0] == '\0')
    return g_strdup (_("Enter a SKU: the code that tells this product apart"));
  if (name[0] == '\0')
    return g_strdup (_("Enter the product’s name"));
  if (!price_ok)
    {
      set_row_error (self->price_row, TRUE);
      return g_strdup (_("Enter the product’s price"));
    }
  if (price != NULL)
    *price = amount;

  return NULL;
}

static gboolean
is_changed (OrdCataloguePage *self)
{
  g_autofree char *sku = NULL;
  g_autofree char *name = NULL;
  g_autofree char *message = NULL;
  gint64 price = 0;

  if (self->product == NULL)
    return FALSE;

  sku = trimmed (self->sku_row);
  name = trimmed (self->name_row);
  /* A new product: as soon as anything is typed. */
  if (ord_product_get_id (self->product) == NULL)
    return sku[0] != '\0' || name[0] != '\0' ||
           gtk_editable_get_text (self->price_row)[0] != '\0';
  if (!parse_price (self, &price, &message))
    return TRUE;

  return g_strcmp0 (sku, ord_product_get_sku (self->product)) != 0 ||
         g_strcmp0 (name, ord_product_get_name (self->product)) != 0 ||
         price != ord_product_get_unit_price (self->product) ||
         gtk_switch_get_active (self->active_switch) != ord_product_get_active (self->product);
}

static void
update_actions (OrdCataloguePage *self)
{
  gboolean changed = is_changed (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "catalogue.save", changed);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "catalogue.revert",
                                 changed && self->product != NULL &&
                                 ord_product_get_id (self->product) != NULL);
}

static void
on_form_changed (OrdCataloguePage *self)
{
  g_autofree char *message = NULL;

  if (self->filling)
    return;

  message = validate (self, FALSE, NULL);
  show_error (self, message);
  update_actions (self);
}

static void
fill_form (OrdCataloguePage *self)
{
  OrdProduct *p = self->product;
  gboolean is_new = ord_product_get_id (p) == NULL;
  g_autofree char *price = NULL;

  self->filling = TRUE;
  gtk_editable_set_text (self->sku_row, ord_product_get_sku (p) ? ord_product_get_sku (p) : "");
  gtk_editable_set_text (self->name_row,
                         ord_product_get_name (p) ? ord_product_get_name (p) : "");
  price = is_new ? g_strdup ("")
                 : ord_amount_format_plain (ord_product_get_unit_price (p),
                                            ord_currency_get_digits (get_currency (self)));
  gtk_editable_set_text (self->price_row, price);
  gtk_label_set_text (self->currency_label, get_currency (self));
  gtk_switch_set_active (self->active_switch, ord_product_get_active (p));
  self->filling = FALSE;

  if (is_new)
    {
      gtk_label_set_text (self->title_label, _("New Product"));
      gtk_label_set_text (self->subtitle_label,
                          _("A product’s SKU must be different from every other product’s"));
    }
  else
    {
      g_autofree char *price_text = ord_format_order_total (ord_product_get_unit_price (p),
                                                            get_currency (self));
      g_autofree char *subtitle = NULL;

      gtk_label_set_text (self->title_label, ord_product_get_name (p));
      if (ord_product_get_active (p))
        /* Translators: a product's SKU and price, "MUG-01 · €12.50". */
        subtitle = g_strdup_printf (_("%s · %s"), ord_product_get_sku (p), price_text);
      else
        /* Translators: a product's SKU and price, for a product no longer sold. */
        subtitle = g_strdup_printf (_("%s · %s · inactive"), ord_product_get_sku (p), price_text);
      gtk_label_set_text (self->subtitle_label, subtitle);
    }

  set_row_error (self->sku_row, FALSE);
  set_row_error (self->name_row, FALSE);
  set_row_error (self->price_row, FALSE);
  show_error (self, NULL);
  gtk_stack_set_visible_child_name (self->detail_stack, "form");
  update_actions (self);
}

/**
 * ord_catalogue_page_edit:
 * @self: the page
 * @product_id: (nullable): the product to show, NULL for a new one
 *
 * Fills the form from the store and shows it (on a narrow window, in
 * place of the list).
 */
void
ord_catalogue_page_edit (OrdCataloguePage *self,
                         const char       *product_id)
{
  g_autoptr(OrdProduct) product = NULL;

  g_return_if_fail (ORD_IS_CATALOGUE_PAGE (self));

  if (product_id != NULL)
    {
      g_autoptr(GError) error = NULL;

      product = ord_store_get_product (ord_context_get_store (self->context), product_id, &error);
      if (product == NULL)
        {
          adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
          return;
        }
    }
  else
    {
      g_autofree char *currency = default_currency (self);

      product = ord_product_new ();
      ord_product_set_currency (product, currency);
      ord_product_set_active (product, TRUE);
    }

  g_set_object (&self->product, product);
  fill_form (self);
  adw_leaflet_set_visible_child_name (self->leaflet, "detail");
}

/* Shows @id (NULL: a new one), the form's first field first for a new one. */
static void
show_record (OrdCataloguePage *self,
             const char       *id)
{
  ord_catalogue_page_edit (self, id);
  if (id == NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->sku_row));
}

static void
on_discard_answer (GtkWidget  *page,
                   const char *id,
                   gboolean    discard)
{
  OrdCataloguePage *self = (OrdCataloguePage *) page;

  if (discard)
    show_record (self, id);
  else
    gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
}

/* Shows another record (NULL: a new one), after asking when the form
 * has changes that would be lost. */
static void
edit_or_ask (OrdCataloguePage *self,
             const char       *id)
{
  if (!is_changed (self))
    show_record (self, id);
  else
    ord_ask_discard_changes (GTK_WIDGET (self), _("The changes to this product have not been saved."), id, on_discard_answer);
}

static void
update_list_state (OrdCataloguePage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  const char *text = ord_catalogue_list_model_get_text (self->model);
  OrdCatalogueFilter filter = ord_catalogue_list_model_get_filter (self->model);
  g_autofree char *count = g_strdup_printf ("%'u", n);
  g_autofree char *label = NULL;

  /* Not read yet (the page has not been shown): nothing to count. */
  if (n > 0 || !ord_catalogue_list_model_is_loaded (self->model))
    gtk_stack_set_visible_child_name (self->list_stack, "list");
  else if (text == NULL && ord_store_count_products_filtered (ord_context_get_store (self->context),
                                                              NULL, ORD_CATALOGUE_ALL, NULL) == 0)
    gtk_stack_set_visible_child_name (self->list_stack, "empty");
  else
    gtk_stack_set_visible_child_name (self->list_stack, "no-results");

  switch (filter)
    {
    case ORD_CATALOGUE_ACTIVE:
      /* Translators: %s is a number. */
      label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s active product",
                                            "%s active products", n), count);
      break;
    case ORD_CATALOGUE_INACTIVE:
      /* Translators: %s is a number. */
      label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s inactive product",
                                            "%s inactive products", n), count);
      break;
    case ORD_CATALOGUE_ALL:
    default:
      /* Translators: %s is a number. */
      label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s product", "%s products", n),
                               count);
      break;
    }
  gtk_label_set_text (self->count_label, label);
}

static void
save (OrdCataloguePage *self)
{
  g_autoptr(OrdProduct) product = ord_product_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  g_autofree char *sku = NULL;
  g_autofree char *name = NULL;
  gboolean is_new;
  gint64 price = 0;

  g_assert (self->product != NULL);

  message = validate (self, TRUE, &price);
  if (message != NULL)
    {
      show_error (self, message);
      return;
    }

  is_new = ord_product_get_id (self->product) == NULL;
  sku = trimmed (self->sku_row);
  name = trimmed (self->name_row);
  ord_product_set_id (product, ord_product_get_id (self->product));
  ord_product_set_version (product, ord_product_get_version (self->product));
  ord_product_set_deleted (product, ord_product_get_deleted (self->product));
  ord_product_set_currency (product, get_currency (self));
  ord_product_set_sku (product, sku);
  ord_product_set_name (product, name);
  ord_product_set_unit_price (product, price);
  ord_product_set_active (product, gtk_switch_get_active (self->active_switch));

  if (!ord_store_save_product (ord_context_get_store (self->context), product, &error))
    {
      show_error (self, error->message);
      if (g_error_matches (error, ORD_STORE_ERROR, ORD_STORE_ERROR_INVALID) &&
          strstr (error->message, sku) != NULL && strstr (error->message, "SKU") != NULL)
        set_row_error (self->sku_row, TRUE);
      return;
    }

  g_set_object (&self->product, product);
  fill_form (self);
  ord_catalogue_list_model_refresh (self->model);
  update_list_state (self);

  adw_toast_overlay_add_toast (self->toast_overlay,
                               adw_toast_new (is_new ? _("Product added")
                                                     : _("Product saved")));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  save (ORD_CATALOGUE_PAGE (widget));
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  OrdCataloguePage *self = ORD_CATALOGUE_PAGE (widget);

  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  edit_or_ask (self, NULL);
}

static void
revert_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  OrdCataloguePage *self = ORD_CATALOGUE_PAGE (widget);

  if (self->product != NULL)
    fill_form (self);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  OrdCataloguePage *self = ORD_CATALOGUE_PAGE (widget);

  adw_leaflet_set_visible_child_name (self->leaflet, "list");
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  OrdCataloguePage *self = ORD_CATALOGUE_PAGE (widget);

  adw_leaflet_set_visible_child_name (self->leaflet, "list");
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
on_entry_activated (OrdCataloguePage *self)
{
  if (is_changed (self))
    save (self);
}

static void
on_search_changed (OrdCataloguePage *self)
{
  ord_catalogue_list_model_set_text (self->model, gtk_editable_get_text (self->search_entry));
  update_list_state (self);
}

static void
on_filter_toggled (OrdCataloguePage *self,
                   GtkToggleButton  *button)
{
  OrdCatalogueFilter filter;

  if (!gtk_toggle_button_get_active (button))
    return;

  if (button == self->filter_inactive)
    filter = ORD_CATALOGUE_INACTIVE;
  else if (button == self->filter_all)
    filter = ORD_CATALOGUE_ALL;
  else
    filter = ORD_CATALOGUE_ACTIVE;

  if (self->model != NULL)
    {
      ord_catalogue_list_model_set_filter (self->model, filter);
      update_list_state (self);
    }
}

static void
on_selected_item (OrdCataloguePage *self)
{
  OrdProduct *product = gtk_single_selection_get_selected_item (self->selection);

  /* A refresh of the list drops the selection: the form stays. */
  if (product != NULL)
    edit_or_ask (self, ord_product_get_id (product));
}

static void
on_items_changed (OrdCataloguePage *self)
{
  update_list_state (self);
}

/* A row: name, then SKU and price, an "Inactive" tag. */
static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *detail = gtk_label_new (NULL);
  GtkWidget *tag = gtk_label_new (C_("products", "Inactive"));

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_hexpand (text, TRUE);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (name, "heading");
  gtk_label_set_xalign (GTK_LABEL (detail), 0);
  gtk_label_set_ellipsize (GTK_LABEL (detail), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (detail, "caption");
  gtk_widget_add_css_class (detail, "dim-label");
  gtk_widget_set_valign (tag, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (tag, "status-pill");
  gtk_widget_add_css_class (tag, "status-cancelled");
  gtk_box_append (GTK_BOX (text), name);
  gtk_box_append (GTK_BOX (text), detail);
  gtk_box_append (GTK_BOX (box), text);
  gtk_box_append (GTK_BOX (box), tag);
  gtk_list_item_set_child (item, box);
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          gpointer                  user_data)
{
  OrdProduct *product = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *text = gtk_widget_get_first_child (box);
  GtkWidget *name = gtk_widget_get_first_child (text);
  GtkWidget *detail = gtk_widget_get_last_child (text);
  GtkWidget *tag = gtk_widget_get_last_child (box);
  g_autofree char *price = NULL;
  g_autofree char *line = NULL;

  if (product == NULL)
    return;

  price = ord_format_order_total (ord_product_get_unit_price (product),
                                  ord_product_get_currency (product));
  line = g_strdup_printf (_("%s · %s"), ord_product_get_sku (product), price);
  gtk_label_set_text (GTK_LABEL (name), ord_product_get_name (product));
  gtk_label_set_text (GTK_LABEL (detail), line);
  gtk_widget_set_visible (tag, !ord_product_get_active (product));
  if (ord_product_get_active (product))
    gtk_widget_remove_css_class (text, "dim-label");
  else
    gtk_widget_add_css_class (text, "dim-label");
}

static void
ord_catalogue_page_dispose (GObject *object)
{
  OrdCataloguePage *self = ORD_CATALOGUE_PAGE (object);

  if (self->list_view != NULL)
    gtk_list_view_set_model (self->list_view, NULL);
  /* AdwBin would unparent its child again after the template did. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), ORD_TYPE_CATALOGUE_PAGE);
  g_clear_object (&self->selection);
  g_clear_object (&self->model);
  g_clear_object (&self->product);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (ord_catalogue_page_parent_class)->dispose (object);
}

static void
ord_catalogue_page_class_init (OrdCataloguePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ord_catalogue_page_dispose;

  ord_ui_ensure_resources ();

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/orderly/Orderly/ord-catalogue-page.ui");
  gtk_widget_class_bind_template_child (widget_class, OrdCataloguePage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, OrdCataloguePage, leaflet);
  gtk_widget_class_bind_template_child (widget_class, OrdCataloguePage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, OrdCataloguePage, filter_active);
  gtk_widget_class_bind_template_child (widget_class, OrdCataloguePage, filter_inactive);
  gtk_widget_class_bind_template_child (widget_class, OrdCataloguePage, filter_all);
  gtk_widget_class_bind_template_child (widget_class, OrdCataloguePage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, OrdCataloguePage, list_view);
  gtk_widget_class_bind_template_child (widget_class, OrdCataloguePage, count_label);
  gtk_widget_class_bind_template_child (widget_class, OrdCataloguePage, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, OrdCataloguePage, title_label);
  gtk_widget_class_bind_template_child (widget_class, OrdCataloguePage, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, OrdCataloguePage, sku_row);
  gtk_widget_class_bind_template_child (widget_class, OrdCataloguePage, name_row);
  gtk_widget_class_bind_template_child (widget_class, OrdCataloguePage, price_row);
  gtk_widget_class_bind_template_child (widget_class, OrdCataloguePage, currency_label);
  gtk_widget_class_bind_template_child (widget_class, OrdCataloguePage, active_switch);
  gtk_widget_class_bind_template_child (widget_class, OrdCataloguePage, error_label);
  gtk_widget_class_bind_template_child (widget_class, OrdCataloguePage, save_button);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_form_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated);

  gtk_widget_class_install_action (widget_class, "catalogue.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "catalogue.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "catalogue.revert", NULL, revert_action);
  gtk_widget_class_install_action (widget_class, "catalogue.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "catalogue.search", NULL, search_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "catalogue.add", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "catalogue.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "catalogue.search", NULL);
}

static void
ord_catalogue_page_init (OrdCataloguePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* The list is read when the page is first shown, not when the window is
 * built: start-up does not wait for a list nobody has opened yet. */
static void
on_first_map (OrdCataloguePage *self)
{
  g_signal_handlers_disconnect_by_func (self, on_first_map, NULL);
  ord_catalogue_list_model_load (self->model);
  update_list_state (self);
  update_actions (self);
}

/**
 * ord_catalogue_page_new:
 * @context: the store and settings to work with
 *
 * Returns: (transfer floating): the page: the products, a search, and a
 *   form to add and change them
 */
GtkWidget *
ord_catalogue_page_new (OrdContext *context)
{
  OrdCataloguePage *self;
  GtkListItemFactory *factory;

  g_return_val_if_fail (ORD_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (ord_context_get_store (context) != NULL, NULL);

  self = g_object_new (ORD_TYPE_CATALOGUE_PAGE, NULL);
  self->context = g_object_ref (context);
  self->model = ord_catalogue_list_model_new (ord_context_get_store (context),
                                              ORD_CATALOGUE_KIND_PRODUCTS);
  /* Nothing chosen at first: autoselect off before the model is in. */
  self->selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_model (self->selection, G_LIST_MODEL (self->model));
  g_signal_connect_swapped (self->selection, "notify::selected-item",
                            G_CALLBACK (on_selected_item), self);
  g_signal_connect_swapped (self->model, "items-changed", G_CALLBACK (on_items_changed), self);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), NULL);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  update_list_state (self);
  update_actions (self);
  g_signal_connect (self, "map", G_CALLBACK (on_first_map), NULL);

  return GTK_WIDGET (self);
}
